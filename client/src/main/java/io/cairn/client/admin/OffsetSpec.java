package io.cairn.client.admin;

/**
 * Which offset {@link CairnAdmin#listOffsets} looks up: the earliest, the latest, or the first at or
 * after a timestamp.
 *
 * @param timestamp -2 for earliest, -1 for latest, else a timestamp in epoch ms
 */
public record OffsetSpec(long timestamp) {
    /** The log start offset. */
    public static OffsetSpec earliest() {
        return new OffsetSpec(-2);
    }

    /** The log end offset. */
    public static OffsetSpec latest() {
        return new OffsetSpec(-1);
    }

    /** The first offset whose record timestamp is at or after {@code timestampMs}. */
    public static OffsetSpec forTimestamp(long timestampMs) {
        if (timestampMs < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0: " + timestampMs);
        }
        return new OffsetSpec(timestampMs);
    }
}
