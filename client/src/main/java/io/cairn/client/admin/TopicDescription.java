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
 * @param sizeBytes bytes on disk of all its partitions' segment files
 * @param segmentCount log segments of all its partitions
 */
public record TopicDescription(String name, UUID topicId, boolean internal, List<PartitionDescription> partitions,
                               long sizeBytes, long segmentCount) {
    /** Copies the partitions. */
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }

    /** Records retained across all partitions. */
    public long recordCount() {
        return partitions.stream().mapToLong(PartitionDescription::recordCount).sum();
    }
}
