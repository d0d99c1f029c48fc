package io.cairn.broker.group.record;

/**
 * A key or value of {@code __consumer_offsets} that does not decode: truncated, oversized,
 * an unknown value version, or otherwise corrupt. Broken data, not an expected outcome.
 */
public final class GroupRecordFormatException extends RuntimeException {
    public GroupRecordFormatException(String message) {
        super(message);
    }
}
