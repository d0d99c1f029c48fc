package io.cairn.client.consumer;

/**
 * A committed position: the offset of the next record to read, with optional free-form metadata.
 *
 * @param offset the next offset to consume
 * @param metadata metadata stored with the commit, or null
 */
public record OffsetAndMetadata(long offset, String metadata) {
    /** Checks the offset is not negative. */
    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("committed offset must be >= 0: " + offset);
        }
    }

    /** An offset without metadata. */
    public static OffsetAndMetadata of(long offset) {
        return new OffsetAndMetadata(offset, null);
    }
}
