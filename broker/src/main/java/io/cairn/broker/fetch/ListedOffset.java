package io.cairn.broker.fetch;

import io.cairn.broker.partition.PartitionError;
import io.cairn.storage.TopicPartition;

/**
 * The answer to an offset lookup for one partition.
 *
 * @param error   {@link PartitionError#NONE} or {@code UNKNOWN_TOPIC_OR_PARTITION}
 * @param message why, for an error; null otherwise
 * @param offset  the offset found; -1 when no record has a timestamp at or after the one asked
 */
public record ListedOffset(TopicPartition topicPartition, PartitionError error, String message, long offset) {
}
