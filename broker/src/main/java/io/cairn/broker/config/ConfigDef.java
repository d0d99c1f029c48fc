package io.cairn.broker.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered set of configuration keys (the broker's, or the topic-level ones). Lookup by name,
 * iteration in declaration order for the generated reference. Immutable once built.
 */
public final class ConfigDef {

    private final String title;
    private final Map<String, ConfigKey<?>> keys;

    private ConfigDef(String title, Map<String, ConfigKey<?>> keys) {
        this.title = title;
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static ConfigDef of(String title, List<ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> map = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (map.put(key.name(), key) != null) {
                throw new IllegalStateException("config key declared twice in " + title + ": " + key.name());
            }
        }
        return new ConfigDef(title, map);
    }

    public String title() {
        return title;
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    public Collection<ConfigKey<?>> keys() {
        return keys.values();
    }

    /** The declared key closest to a misspelt name, if one is close enough to suggest. */
    public Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : keys.keySet()) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, name.length() / 4);
        return bestDistance <= tolerance ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance, only used on the error path. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Keys in declaration order, as a fresh list. */
    public List<ConfigKey<?>> keyList() {
        return new ArrayList<>(keys.values());
    }
}
