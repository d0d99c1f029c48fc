package io.cairn.broker.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated topic-level config overrides of one topic: only the keys the topic sets, each
 * parsed and checked. The canonical text ({@link #asMap()}) is what the topic registry stores.
 * Immutable.
 */
public final class TopicOverrides {

    private static final TopicOverrides EMPTY = new TopicOverrides(Map.of(), Map.of());

    private final Map<String, Object> values;
    private final Map<String, String> canonical;

    private TopicOverrides(Map<String, Object> values, Map<String, String> canonical) {
        this.values = values;
        this.canonical = canonical;
    }

    public static TopicOverrides empty() {
        return EMPTY;
    }

    /**
     * Validates overrides as received in a CreateTopics or AlterConfigs request or read back from
     * the registry.
     *
     * @param topic the topic, named in messages
     * @param raw   key to textual value
     * @throws ConfigException naming every unknown key (with a suggestion) and every invalid value
     *     with the range or choices allowed
     */
    public static TopicOverrides parse(String topic, Map<String, String> raw) throws ConfigException {
        if (raw.isEmpty()) {
            return EMPTY;
        }
        ConfigSource source = ConfigSource.topic(topic);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> canonical = new TreeMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
            String name = e.getKey();
            String text = e.getValue();
            Optional<ConfigKey<?>> key = TopicConfigKeys.DEF.key(name);
            if (key.isEmpty()) {
                problems.add(new ConfigProblem(name, text, source, unknownKeyMessage(name)));
                continue;
            }
            if (text == null) {
                problems.add(new ConfigProblem(name, null, source, "null value; omit the key to use the broker default"));
                continue;
            }
            try {
                Object value = key.get().parse(text);
                values.put(name, value);
                canonical.put(name, key.get().formatObject(value));
            } catch (IllegalArgumentException ex) {
                problems.add(new ConfigProblem(name, text, source, ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TopicOverrides(Collections.unmodifiableMap(values), Collections.unmodifiableMap(canonical));
    }

    private static String unknownKeyMessage(String name) {
        for (ConfigKey<?> k : TopicConfigKeys.DEF.keys()) {
            if (k.brokerSynonym().equals(name)) {
                return "unknown topic config; " + name + " is the broker default, the topic config is " + k.name();
            }
        }
        return "unknown topic config" + TopicConfigKeys.DEF.closest(name).map(c -> "; did you mean " + c + "?").orElse("");
    }

    /** Whether the topic overrides this key. */
    public boolean contains(ConfigKey<?> key) {
        return values.containsKey(key.name());
    }

    /** The override of a key, if set. */
    public <T> Optional<T> get(ConfigKey<T> key) {
        Object v = values.get(key.name());
        return v == null ? Optional.empty() : Optional.of(key.cast(v));
    }

    /** Key to canonical textual value, sorted by key. */
    public Map<String, String> asMap() {
        return canonical;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicOverrides && ((TopicOverrides) o).canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return canonical.toString();
    }
}
