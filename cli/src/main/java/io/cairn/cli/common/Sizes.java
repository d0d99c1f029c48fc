package io.cairn.cli.common;

import java.util.Locale;

/** Byte counts for people: {@code 0 B}, {@code 999 B}, {@code 4.0 KiB}, {@code 1.5 GiB}. Stateless. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /** {@code bytes} in binary units with one decimal; negative (unknown) sizes give null. */
    public static String human(long bytes) {
        if (bytes < 0) {
            return null;
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
