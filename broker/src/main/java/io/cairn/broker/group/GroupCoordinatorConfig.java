package io.cairn.broker.group;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.BrokerConfigKeys;

/**
 * The settings of the group coordinator, with Kafka's names and defaults.
 *
 * @param offsetsTopicPartitions          partitions of {@code __consumer_offsets} (the existing topic's
 *                                        count; offsets.topic.num.partitions when first created), one
 *                                        coordinator shard each (default 50)
 * @param sessionTimeoutMs                group.consumer.session.timeout.ms: a member not heard from for
 *                                        this long is removed (default 45 000)
 * @param heartbeatIntervalMs             group.consumer.heartbeat.interval.ms: how often members
 *                                        heartbeat (default 5 000)
 * @param maxGroupSize                    most members per group (default unbounded)
 * @param offsetMetadataMaxBytes          longest commit metadata, in UTF-8 bytes (default 4 096, Kafka's
 *                                        offset.metadata.max.bytes)
 * @param offsetsRetentionMs              offsets.retention.ms: committed offsets of a group without
 *                                        members are removed this long after the group became empty or
 *                                        the offset was committed, whichever is later (default 7 days)
 * @param offsetsRetentionCheckIntervalMs how often expired offsets are looked for (default 60 000)
 * @param threads                         threads that run the shards (default 1)
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int sessionTimeoutMs, int heartbeatIntervalMs,
                                     int maxGroupSize, int offsetMetadataMaxBytes, long offsetsRetentionMs,
                                     long offsetsRetentionCheckIntervalMs, int threads) {

    public static final int DEFAULT_OFFSETS_TOPIC_PARTITIONS = 50;
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 45_000;
    public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;
    public static final long DEFAULT_OFFSETS_RETENTION_MS = 7 * 86_400_000L;
    public static final long DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS = 60_000L;

    public GroupCoordinatorConfig {
        requirePositive("offsets.topic.num.partitions", offsetsTopicPartitions);
        requirePositive("group.consumer.session.timeout.ms", sessionTimeoutMs);
        requirePositive("group.consumer.heartbeat.interval.ms", heartbeatIntervalMs);
        requirePositive("group.consumer.max.size", maxGroupSize);
        requirePositive("group.coordinator.threads", threads);
        if (offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("offset.metadata.max.bytes=" + offsetMetadataMaxBytes + " is negative");
        }
        if (offsetsRetentionMs <= 0 || offsetsRetentionCheckIntervalMs <= 0) {
            throw new IllegalArgumentException("offsets.retention.ms=" + offsetsRetentionMs
                    + " and its check interval=" + offsetsRetentionCheckIntervalMs + " must be positive");
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
                DEFAULT_HEARTBEAT_INTERVAL_MS, Integer.MAX_VALUE, DEFAULT_OFFSET_METADATA_MAX_BYTES,
                DEFAULT_OFFSETS_RETENTION_MS, DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS, 1);
    }

    /**
     * The settings from the broker's configuration.
     *
     * @param offsetsTopicPartitions the partition count of the existing {@code __consumer_offsets}
     *                               (which rules over offsets.topic.num.partitions once created)
     */
    public static GroupCoordinatorConfig from(BrokerConfig broker, int offsetsTopicPartitions) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions,
                Math.toIntExact(broker.get(BrokerConfigKeys.GROUP_CONSUMER_SESSION_TIMEOUT_MS)),
                Math.toIntExact(broker.get(BrokerConfigKeys.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS)),
                Integer.MAX_VALUE, DEFAULT_OFFSET_METADATA_MAX_BYTES, broker.get(BrokerConfigKeys.OFFSETS_RETENTION_MS),
                DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS, 1);
    }

    public GroupCoordinatorConfig withOffsetsTopicPartitions(int partitions) {
        return new GroupCoordinatorConfig(partitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, threads);
    }

    public GroupCoordinatorConfig withSessionTimeoutMs(int timeoutMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, timeoutMs, heartbeatIntervalMs, maxGroupSize, offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, threads);
    }

    public GroupCoordinatorConfig withHeartbeatIntervalMs(int intervalMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, intervalMs, maxGroupSize,
                offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, threads);
    }

    public GroupCoordinatorConfig withMaxGroupSize(int size) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, size,
                offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, threads);
    }

    public GroupCoordinatorConfig withOffsetsRetentionMs(long retentionMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, retentionMs, offsetsRetentionCheckIntervalMs, threads);
    }

    public GroupCoordinatorConfig withOffsetsRetentionCheckIntervalMs(long intervalMs) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, offsetsRetentionMs, intervalMs, threads);
    }

    public GroupCoordinatorConfig withThreads(int count) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, sessionTimeoutMs, heartbeatIntervalMs, maxGroupSize,
                offsetMetadataMaxBytes, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, count);
    }

    /**
     * The partition of {@code __consumer_offsets} (and so the coordinator shard) of a group:
     * {@code floorMod(groupId.hashCode(), offsetsTopicPartitions)} with Java's String.hashCode.
     */
    public int partitionFor(String groupId) {
        return Math.floorMod(groupId.hashCode(), offsetsTopicPartitions);
    }
}
