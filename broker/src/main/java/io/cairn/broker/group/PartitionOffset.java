package io.cairn.broker.group;

import java.util.Objects;

/**
 * One partition's offset to commit: the next offset to consume, the leader epoch of the last
 * consumed record (-1 when unknown) and free-form metadata (empty when none).
 */
public record PartitionOffset(TopicPartition partition, long offset, int leaderEpoch, String metadata) {
    public PartitionOffset {
        Objects.requireNonNull(partition, "partition");
        metadata = metadata == null ? "" : metadata;
    }

    public static PartitionOffset of(String topic, int partition, long offset) {
        return new PartitionOffset(new TopicPartition(topic, partition), offset, -1, "");
    }
}
