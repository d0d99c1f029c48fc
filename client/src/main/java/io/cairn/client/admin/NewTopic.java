package io.cairn.client.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create.
 *
 * @param name the topic name
 * @param numPartitions partitions, or -1 for the broker's default
 * @param replicationFactor replicas, or -1 for the broker's default (1 on a single broker)
 * @param configs topic-level settings, e.g. {@code retention.ms}
 */
public record NewTopic(String name, int numPartitions, short replicationFactor, Map<String, String> configs) {
    /** Checks the name is present and copies the configs. */
    public NewTopic {
        Objects.requireNonNull(name, "name");
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    /** A topic with {@code numPartitions} partitions and the broker's defaults otherwise. */
    public static NewTopic of(String name, int numPartitions) {
        return new NewTopic(name, numPartitions, (short) -1, Map.of());
    }

    /** This topic with {@code configs} as its settings. */
    public NewTopic withConfigs(Map<String, String> newConfigs) {
        return new NewTopic(name, numPartitions, replicationFactor, newConfigs);
    }
}
