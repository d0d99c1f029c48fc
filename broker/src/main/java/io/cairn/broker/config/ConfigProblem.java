package io.cairn.broker.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration: the key, the offending value (null for cross-key checks),
 * where it came from and what is wrong, including what would be allowed.
 *
 * @param key     the key as written (possibly unknown)
 * @param value   the value as written, or {@code null} when not about one value
 * @param source  where the value came from
 * @param problem what is wrong, e.g. {@code out of range [0, 65535]}
 */
public record ConfigProblem(String key, String value, ConfigSource source, String problem) {

    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(problem, "problem");
    }

    /** {@code port=70000 (file /etc/cairn.properties line 3): out of range [0, 65535]}. */
    public String describe() {
        return (value == null ? key : key + "=" + value) + " (" + source.describe() + "): " + problem;
    }

    @Override
    public String toString() {
        return describe();
    }
}
