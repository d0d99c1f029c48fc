package io.cairn.client.admin;

/**
 * One partition's answer to {@link CairnAdmin#listOffsets}.
 *
 * @param offset the offset found; -1 when no record is at or after the timestamp asked for
 * @param timestamp the record's timestamp for a timestamp lookup, else -1
 */
public record ListedOffset(long offset, long timestamp) {
}
