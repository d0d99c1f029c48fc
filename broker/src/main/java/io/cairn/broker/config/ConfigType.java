package io.cairn.broker.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The value types a configuration key can have, each with its textual form.
 *
 * <p>Parsing is strict: surrounding white space is ignored, anything else that does not match the
 * type is rejected with a message saying what was expected. Durations and sizes accept unit
 * suffixes so that {@code 7d} and {@code 1GiB} can be written instead of long numbers; the value is
 * always stored and reported in milliseconds or bytes. Stateless, safe from any thread.
 */
public enum ConfigType {
    INT("int", "an integer"),
    LONG("long", "a 64-bit integer"),
    DOUBLE("double", "a decimal number"),
    BOOLEAN("boolean", "true or false"),
    STRING("string", "a string"),
    LIST("list", "a comma-separated list"),
    DURATION_MS("duration (ms)", "milliseconds, optionally with a unit suffix ms, s, m, h or d"),
    SIZE_BYTES("size (bytes)", "bytes, optionally with a unit suffix KiB, MiB, GiB or TiB"),
    CHOICE("choice", "one of the listed values"),
    HOST("host", "a host name or IP address");

    private final String label;
    private final String expected;

    ConfigType(String label, String expected) {
        this.label = label;
        this.expected = expected;
    }

    /** Short name used in the generated reference, e.g. {@code duration (ms)}. */
    public String label() {
        return label;
    }

    /** What a valid value of this type looks like, for error messages. */
    public String expected() {
        return expected;
    }

    static Integer parseInt(String raw) {
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer (expected " + INT.expected + ")");
        }
    }

    static Long parseLong(String raw) {
        try {
            return Long.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a 64-bit integer");
        }
    }

    static Double parseDouble(String raw) {
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a decimal number");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite decimal number");
        }
        return value;
    }

    static Boolean parseBoolean(String raw) {
        String s = raw.trim();
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean (expected true or false)");
    }

    static List<String> parseList(String raw) {
        List<String> items = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String item = part.trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return Collections.unmodifiableList(items);
    }

    private static final String[] DURATION_SUFFIXES = {"ms", "s", "m", "h", "d"};
    private static final long[] DURATION_FACTORS = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};

    static Long parseDurationMs(String raw) {
        return parseScaled(raw.trim(), DURATION_SUFFIXES, DURATION_FACTORS, DURATION_MS);
    }

    private static final String[] SIZE_SUFFIXES = {"KiB", "MiB", "GiB", "TiB"};
    private static final long[] SIZE_FACTORS = {1L << 10, 1L << 20, 1L << 30, 1L << 40};

    static Long parseSizeBytes(String raw) {
        return parseScaled(raw.trim(), SIZE_SUFFIXES, SIZE_FACTORS, SIZE_BYTES);
    }

    private static Long parseScaled(String s, String[] suffixes, long[] factors, ConfigType type) {
        String number = s;
        long factor = 1;
        // "ms" must be tried before "m" and "s"; the arrays are ordered so the first match wins.
        for (int i = 0; i < suffixes.length; i++) {
            String suffix = suffixes[i];
            if (s.length() > suffix.length() && s.regionMatches(true, s.length() - suffix.length(), suffix, 0, suffix.length())
                    && Character.isDigit(s.charAt(s.length() - suffix.length() - 1))) {
                number = s.substring(0, s.length() - suffix.length());
                factor = factors[i];
                break;
            }
        }
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a valid " + type.label + " (expected " + type.expected + ")");
        }
        if (factor != 1 && value < 0) {
            throw new IllegalArgumentException("a negative value cannot carry a unit suffix");
        }
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large for a 64-bit " + type.label);
        }
    }

    /** Lower-cases for case-insensitive comparisons independent of the default locale. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
