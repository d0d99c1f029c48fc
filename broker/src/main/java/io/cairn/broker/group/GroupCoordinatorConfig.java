package io.cairn.broker.group;

/**
 * The settings of the group coordinator, with Kafka's names and defaults.
 *
 * @param offsetsTopicPartitions  offsets.topic.num.partitions: partitions of {@code __consumer_offsets},
 *                                one coordinator shard each (default 50)
 * @param sessionTimeoutMs        group.consumer.session.timeout.ms: a member not heard from for this
 *                                long is removed (default 45 000)
 * @param heartbeatIntervalMs     group.consumer.heartbeat.interval.ms: how often members heartbeat
 *                                (default 5 000)
 * @param maxGroupSize            group.consumer.max.size: most members per group (default unbounded)
 * @param offsetMetadataMaxBytes  offset.metadata.max.bytes: longest commit metadata, in UTF-8 bytes
 *                                (default 4 096)
 * @param threads                 group.coordinator.threads: threads that run the shards (default 1)
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int sessionTimeoutMs, int heartbeatIntervalMs,
                                     int maxGroupSize, int offsetMetadataMaxBytes, int threads) {

    public static final int DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;

    public GroupCoordinatorConfig {
        requirePositive("offsets.topic.num.partitions", offsetsTopicPartitions);
        requirePositive("group.consumer.session.timeout.ms", sessionTimeoutMs);
        requirePositive("group.consumer.heartbeat.interval.ms", heartbeatIntervalMs);
        requirePositive("group.consumer.max.size", maxGroupSize);
        requirePositive("group.coordinator.threads", threads);
        if (offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("offset.metadata.max.bytes=" + offsetMetadataMaxBytes + " is negative");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("group.consumer.heartbeat.interval.ms=" + heartbeatIntervalMs
                    + " must be below group.consumer.session.timeout.ms=" + sessionTimeoutMs);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + "=" + value + " must be positive");
        }
    }

    /** Kafka's defaults. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(DEFAULT_OFFSETS_TOPIC_PARTITIONS, DEFAULT_SESSION_TIMEOUT_MS,
                DEFAULT_HEARTBEAT_INTERVAL_MS, Integer.MAX_VALUE, DEFAULT_OFFSET_METADATA_MAX_BYTES, 1);
    }

    public GroupCoordinatorConfig withOffsetsTopicPartitions(int partitions) {
        return new GroupCoordinatorConfig(partitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, threads);
    }

    public GroupCoordinatorConfig withSessionTimeoutMs(int timeoutMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, timeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, threads);
    }

    public GroupCoordinatorConfig withMaxGroupSize(int size) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, size,
                offsetMetadataMaxBytes, threads);
    }

    public GroupCoordinatorConfig withThreads(int count) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, count);
    }

    /**
     * The partition of {@code __consumer_offsets} (and so the coordinator shard) of a group:
     * {@code floorMod(groupId.hashCode(), offsetsTopicPartitions)} with Java's String.hashCode.
     */
    public int partitionFor(String groupId) {
        return Math.floorMod(groupId.hashCode(), offsetsTopicPartitions);
    }
}
