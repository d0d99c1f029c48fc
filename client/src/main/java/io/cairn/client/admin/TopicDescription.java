package io.cairn.client.admin;

import java.util.List;
import java.util.UUID;

/**
 * A topic as {@link CairnAdmin#describeTopics} sees it.
 *
 * @param name the topic name
 * @param topicId the topic id
 * @param internal whether it is an internal topic
 * @param partitions its partitions with offsets, ordered by number
 * @param sizeBytes bytes on disk, or -1: the wire protocol does not carry it yet (see docs/client.md)
 * @param segmentCount log segments, or -1: the wire protocol does not carry it yet (see docs/client.md)
 */
public record TopicDescription(String name, UUID topicId, boolean internal, List<PartitionDescription> partitions,
                               long sizeBytes, int segmentCount) {
    /** Copies the partitions. */
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }

    /** Records retained across all partitions. */
    public long recordCount() {
        return partitions.stream().mapToLong(PartitionDescription::recordCount).sum();
    }
}
