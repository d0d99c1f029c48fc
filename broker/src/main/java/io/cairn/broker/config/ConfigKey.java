package io.cairn.broker.config;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, declared once: name, type, default, valid values, importance and the
 * line of documentation that the generated reference shows. Everything that validates, resolves
 * or documents configuration reads it from here. Immutable and shareable.
 *
 * <pre>{@code
 * static final ConfigKey<Integer> PORT = ConfigKey.intKey("port")
 *         .defaultValue(7390).between(0, 65535).importance(Importance.HIGH)
 *         .doc("TCP port of the client listener; 0 picks a free port.").build();
 * }</pre>
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {

    private final String name;
    private final ConfigType type;
    private final Class<T> valueClass;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final T defaultValue;
    private final Constraint<T> constraint;
    private final Importance importance;
    private final String doc;
    private final String brokerSynonym;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.valueClass = b.valueClass;
        this.parser = b.parser;
        this.formatter = b.formatter;
        this.defaultValue = b.defaultValue;
        this.constraint = b.constraint;
        this.importance = b.importance;
        this.doc = b.doc;
        this.brokerSynonym = b.brokerSynonym;
    }

    public String name() {
        return name;
    }

    public ConfigType type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public Constraint<T> constraint() {
        return constraint;
    }

    public Importance importance() {
        return importance;
    }

    public String doc() {
        return doc;
    }

    /**
     * For a topic-level key, the name of the broker key that holds its default (Kafka's naming,
     * e.g. {@code log.segment.bytes} for {@code segment.bytes}); {@code null} for broker keys.
     */
    public String brokerSynonym() {
        return brokerSynonym;
    }

    /**
     * Parses and validates a textual value.
     *
     * @throws IllegalArgumentException naming what is wrong and what is allowed (not the key,
     *     which the caller adds together with the source of the value)
     */
    public T parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        T value;
        try {
            value = parser.apply(raw);
        } catch (IllegalArgumentException e) {
            String allowed = constraint.describe();
            throw new IllegalArgumentException(e.getMessage() + (allowed.isEmpty() ? "" : "; valid values: " + allowed), e);
        }
        String problem = constraint.check(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /** The canonical text of a value, as stored and as reported by DescribeConfigs. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** Formats a value known only as Object; fails if it is not of this key's type. */
    public String formatObject(Object value) {
        return formatter.apply(cast(value));
    }

    /** Checked cast of a value stored without its static type. */
    public T cast(Object value) {
        return valueClass.cast(value);
    }

    /** The same key under another name and doc line, used to derive broker defaults of topic keys. */
    ConfigKey<T> renamed(String newName, Importance newImportance, String newDoc) {
        Builder<T> b = new Builder<>(newName, type, valueClass, parser, formatter, null);
        b.defaultValue = defaultValue;
        b.constraint = constraint;
        b.importance = newImportance;
        b.doc = newDoc;
        return new ConfigKey<>(b);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- factories -------------------------------------------------------------------------

    public static Builder<Integer> intKey(String name) {
        return new Builder<>(name, ConfigType.INT, Integer.class, ConfigType::parseInt, String::valueOf, Comparator.naturalOrder());
    }

    public static Builder<Long> longKey(String name) {
        return new Builder<>(name, ConfigType.LONG, Long.class, ConfigType::parseLong, String::valueOf, Comparator.naturalOrder());
    }

    public static Builder<Double> doubleKey(String name) {
        return new Builder<>(name, ConfigType.DOUBLE, Double.class, ConfigType::parseDouble, String::valueOf, Comparator.naturalOrder());
    }

    public static Builder<Boolean> booleanKey(String name) {
        return new Builder<>(name, ConfigType.BOOLEAN, Boolean.class, ConfigType::parseBoolean, String::valueOf, null);
    }

    public static Builder<String> stringKey(String name) {
        return new Builder<>(name, ConfigType.STRING, String.class, String::trim, s -> s, null);
    }

    /** Durations are stored in milliseconds; text may carry a unit suffix (ms, s, m, h, d). */
    public static Builder<Long> durationKey(String name) {
        return new Builder<>(name, ConfigType.DURATION_MS, Long.class, ConfigType::parseDurationMs, String::valueOf, Comparator.naturalOrder());
    }

    /** Sizes are stored in bytes; text may carry a binary unit suffix (KiB, MiB, GiB, TiB). */
    public static Builder<Long> sizeKey(String name) {
        return new Builder<>(name, ConfigType.SIZE_BYTES, Long.class, ConfigType::parseSizeBytes, String::valueOf, Comparator.naturalOrder());
    }

    public static Builder<String> hostKey(String name, boolean allowEmpty) {
        Builder<String> b = new Builder<>(name, ConfigType.HOST, String.class, String::trim, s -> s, null);
        b.constraint = Constraint.host(allowEmpty);
        return b;
    }

    /** One of {@code choices}; matched ignoring case and stored in the spelling given here. */
    public static Builder<String> choiceKey(String name, List<String> choices) {
        List<String> copy = List.copyOf(choices);
        Function<String, String> canonical = raw -> {
            String s = raw.trim();
            for (String c : copy) {
                if (c.equalsIgnoreCase(s)) {
                    return c;
                }
            }
            return s;
        };
        Builder<String> b = new Builder<>(name, ConfigType.CHOICE, String.class, canonical, s -> s, null);
        b.constraint = Constraint.oneOf(copy);
        return b;
    }

    /** A comma-separated list; items are trimmed and empty items dropped. */
    public static Builder<List<String>> listKey(String name) {
        @SuppressWarnings("unchecked") // List.class is the erasure of List<String>; items are checked by the constraint
        Class<List<String>> listClass = (Class<List<String>>) (Class<?>) List.class;
        return new Builder<>(name, ConfigType.LIST, listClass, ConfigType::parseList, l -> String.join(",", l), null);
    }

    /**
     * Builds a {@link ConfigKey}; every key needs a default, an importance and a doc line.
     *
     * @param <T> the parsed value type
     */
    public static final class Builder<T> {
        private final String name;
        private final ConfigType type;
        private final Class<T> valueClass;
        private final Function<String, T> parser;
        private final Function<T, String> formatter;
        private final Comparator<T> order;
        private T defaultValue;
        private Constraint<T> constraint = Constraint.any();
        private Importance importance;
        private String doc;
        private String brokerSynonym;

        private Builder(String name, ConfigType type, Class<T> valueClass, Function<String, T> parser,
                        Function<T, String> formatter, Comparator<T> order) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = type;
            this.valueClass = valueClass;
            this.parser = parser;
            this.formatter = formatter;
            this.order = order;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "defaultValue");
            return this;
        }

        /** Inclusive range for numeric keys. */
        public Builder<T> between(T min, T max) {
            return range(min, max);
        }

        /** Lower bound only for numeric keys. */
        public Builder<T> atLeast(T min) {
            return range(min, null);
        }

        private Builder<T> range(T min, T max) {
            if (order == null) {
                throw new IllegalStateException(name + ": a range needs a numeric type, not " + type.label());
            }
            Comparator<T> cmp = order;
            Function<T, String> fmt = formatter;
            String text = "[" + fmt.apply(min) + ", " + (max == null ? "..." : fmt.apply(max)) + "]";
            this.constraint = new Constraint<>() {
                @Override
                public String check(T value) {
                    if (cmp.compare(value, min) < 0 || (max != null && cmp.compare(value, max) > 0)) {
                        return "out of range " + text;
                    }
                    return null;
                }

                @Override
                public String describe() {
                    return text;
                }
            };
            return this;
        }

        public Builder<T> constraint(Constraint<T> c) {
            this.constraint = Objects.requireNonNull(c, "constraint");
            return this;
        }

        public Builder<T> importance(Importance i) {
            this.importance = Objects.requireNonNull(i, "importance");
            return this;
        }

        public Builder<T> doc(String text) {
            this.doc = Objects.requireNonNull(text, "doc");
            return this;
        }

        /** For topic keys: the broker key holding the default, see {@link ConfigKey#brokerSynonym()}. */
        public Builder<T> brokerSynonym(String brokerKey) {
            this.brokerSynonym = Objects.requireNonNull(brokerKey, "brokerKey");
            return this;
        }

        public ConfigKey<T> build() {
            if (defaultValue == null || importance == null || doc == null) {
                throw new IllegalStateException(name + ": default, importance and doc are required");
            }
            String problem = constraint.check(defaultValue);
            if (problem != null) {
                throw new IllegalStateException(name + ": default " + formatter.apply(defaultValue) + " is invalid: " + problem);
            }
            return new ConfigKey<>(this);
        }
    }
}
