package io.cairn.client.config;

import io.cairn.client.errors.ConfigException;
import java.util.List;
import java.util.Locale;

/** Checks a converted setting value; throws {@link ConfigException} naming the key and the value. */
@FunctionalInterface
public interface ConfigValidator {
    /** Accepts any value. */
    ConfigValidator ANY = (name, value) -> { };

    /** Throws {@link ConfigException} when {@code value} is not valid for {@code name}. */
    void ensureValid(String name, Object value);

    /** The valid range as the docs show it; empty when unrestricted. */
    default String describe() {
        return "";
    }

    /** Numbers at least {@code min}. */
    static ConfigValidator atLeast(long min) {
        return between(min, Long.MAX_VALUE);
    }

    /** Numbers in {@code [min, max]}. */
    static ConfigValidator between(long min, long max) {
        return new ConfigValidator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                long v = ((Number) value).longValue();
                if (v < min || v > max) {
                    throw new ConfigException("invalid value " + v + " for " + name + ": must be "
                            + describe());
                }
            }

            @Override
            public String describe() {
                if (max == Long.MAX_VALUE) {
                    return ">= " + min;
                }
                return "[" + min + ", " + max + "]";
            }
        };
    }

    /** Strings equal (ignoring case) to one of {@code allowed}. */
    static ConfigValidator oneOf(String... allowed) {
        List<String> names = List.of(allowed);
        return new ConfigValidator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                String v = value.toString().toLowerCase(Locale.ROOT);
                if (!names.contains(v)) {
                    throw new ConfigException("invalid value '" + value + "' for " + name + ": must be one of "
                            + names);
                }
            }

            @Override
            public String describe() {
                return String.join(", ", names);
            }
        };
    }

    /** Lists with at least one non-blank element. */
    static ConfigValidator nonEmptyList() {
        return new ConfigValidator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (!(value instanceof List<?> list) || list.isEmpty()
                        || list.stream().anyMatch(e -> e.toString().isBlank())) {
                    throw new ConfigException("invalid value '" + value + "' for " + name
                            + ": must be a non-empty list of non-blank entries");
                }
            }

            @Override
            public String describe() {
                return "non-empty list";
            }
        };
    }
}
