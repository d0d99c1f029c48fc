package io.cairn.broker.fetch;

import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;

/**
 * The answer to an offset lookup for one partition.
 *
 * @param error   {@link ErrorCode#NONE} or {@code UNKNOWN_TOPIC_OR_PARTITION}
 * @param message why, for an error; null otherwise
 * @param timestamp for a lookup by time, the timestamp of the record found; -1 otherwise
 * @param offset    the offset found; -1 when no record has a timestamp at or after the one asked
 */
public record ListedOffset(TopicPartition topicPartition, ErrorCode error, String message, long timestamp,
                           long offset) {
}
