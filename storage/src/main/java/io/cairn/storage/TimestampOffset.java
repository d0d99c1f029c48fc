package io.cairn.storage;

/**
 * Answer to a lookup by timestamp ({@link Log#offsetForTimestamp}).
 *
 * @param timestamp the timestamp found (of the record, or of its batch where records are not decoded)
 * @param offset    the offset found
 */
public record TimestampOffset(long timestamp, long offset) {
}
