package io.cairn.client.consumer;

/**
 * The answer of {@code offsetsForTimes} for one partition: the first offset whose record timestamp is
 * at or after the time asked for, and that record's timestamp.
 *
 * @param offset the offset found
 * @param timestamp the record's timestamp in epoch ms
 */
public record OffsetAndTimestamp(long offset, long timestamp) {
}
