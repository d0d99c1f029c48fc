package io.cairn.client.config;

import io.cairn.client.errors.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A registry of the settings one kind of client accepts. {@link #parse} converts given values to their
 * declared types, fills in defaults, and rejects unknown keys and invalid values with a message that
 * names them. Immutable once built; safe to share.
 */
public final class ConfigDef {
    private final String clientKind;
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /** A registry for {@code clientKind} ("producer", "consumer", "admin"), named in error messages. */
    public ConfigDef(String clientKind) {
        this.clientKind = clientKind;
    }

    /** Declares an optional key with a default. */
    public ConfigDef define(String name, ConfigType type, Object defaultValue, ConfigValidator validator, String doc) {
        return add(new ConfigKey(name, type, defaultValue == null ? null : convert(name, type, defaultValue),
                false, validator, doc));
    }

    /** Declares an optional key with a default and no restriction beyond its type. */
    public ConfigDef define(String name, ConfigType type, Object defaultValue, String doc) {
        return define(name, type, defaultValue, ConfigValidator.ANY, doc);
    }

    /** Declares a key that must be given. */
    public ConfigDef defineRequired(String name, ConfigType type, ConfigValidator validator, String doc) {
        return add(new ConfigKey(name, type, null, true, validator, doc));
    }

    /** Copies every key of {@code other} into this registry. */
    public ConfigDef include(ConfigDef other) {
        other.keys.values().forEach(this::add);
        return this;
    }

    private ConfigDef add(ConfigKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("config key defined twice: " + key.name());
        }
        return this;
    }

    /** The declared keys, in declaration order. */
    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    /** Whether {@code name} is declared. */
    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    /**
     * Converts and validates {@code given}, filling defaults for keys not given.
     *
     * @throws ConfigException naming every unknown key, or the first key with a bad value
     */
    public Map<String, Object> parse(Map<String, ?> given) {
        TreeSet<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(keys.keySet());
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown " + clientKind + " config key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (known keys: " + String.join(", ", new TreeSet<>(keys.keySet()))
                    + ")");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            Object value;
            if (given.containsKey(key.name()) && given.get(key.name()) != null) {
                value = convert(key.name(), key.type(), given.get(key.name()));
            } else if (key.required()) {
                throw new ConfigException("missing required " + clientKind + " config " + key.name() + ": " + key.doc());
            } else {
                value = key.defaultValue();
            }
            key.validator().ensureValid(key.name(), value);
            values.put(key.name(), value);
        }
        return values;
    }

    static Object convert(String name, ConfigType type, Object value) {
        try {
            return switch (type) {
                case BOOLEAN -> toBoolean(name, value);
                case INT -> Math.toIntExact(toLong(name, value));
                case LONG -> toLong(name, value);
                case STRING -> value instanceof String s ? s.trim() : invalid(name, value, "a string");
                case LIST -> toList(name, value);
            };
        } catch (ArithmeticException e) {
            throw new ConfigException("invalid value " + value + " for " + name + ": out of range for a 32-bit int");
        }
    }

    private static Boolean toBoolean(String name, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
        }
        return invalid(name, value, "true or false");
    }

    private static long toLong(String name, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return invalid(name, value, "an integer");
            }
        }
        return invalid(name, value, "an integer");
    }

    private static List<String> toList(String name, Object value) {
        if (value instanceof String s) {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        }
        if (value instanceof Collection<?> c) {
            List<String> out = new ArrayList<>();
            for (Object o : c) {
                if (!(o instanceof String s)) {
                    return invalid(name, value, "a list of strings");
                }
                out.add(s.trim());
            }
            return List.copyOf(out);
        }
        if (value instanceof String[] a) {
            return toList(name, Arrays.asList(a));
        }
        return invalid(name, value, "a list of strings or comma-separated text");
    }

    private static <T> T invalid(String name, Object value, String expected) {
        throw new ConfigException("invalid value '" + value + "' (" + value.getClass().getSimpleName() + ") for "
                + name + ": expected " + expected);
    }

    static String format(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(Object::toString).toList());
        }
        return value.toString();
    }
}
