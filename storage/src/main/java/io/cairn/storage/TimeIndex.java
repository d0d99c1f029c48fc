package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse index from timestamp to offset in a segment, used for ListOffsets by time and for
 * time-based retention.
 *
 * <pre>
 *   entry (12 bytes, big-endian):
 *   +---------------------------------------------------------------+-------------------------------+
 *   |  timestamp (i64): largest batch maxTimestamp so far           |  relativeOffset (u32)         |
 *   +---------------------------------------------------------------+-------------------------------+
 *   relativeOffset = last offset of the batch that carried that timestamp - segment base offset
 * </pre>
 *
 * An entry is added together with each offset-index entry when the segment's largest timestamp
 * has grown since the last entry, and once more when the segment is sealed or closed (a slot is
 * reserved for it), so the last entry always holds the segment's largest timestamp. Timestamps are
 * strictly increasing, offsets non-decreasing. Meaning of an entry (t, o): no batch at or before
 * offset o has a timestamp above t.
 *
 * <p>Threading as {@link AbstractIndex}.
 */
final class TimeIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 12;
    static final int TIMESTAMP_OFFSET = 0;
    static final int RELATIVE_OFFSET_OFFSET = TIMESTAMP_OFFSET + 8;

    TimeIndex(Path file, long baseOffset, int maxIndexBytes, FileChannelFactory channels) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE, channels);
    }

    /** Full for regular appends: one slot stays reserved for the entry written when the segment is sealed. */
    @Override
    boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Writer only: adds (timestamp, offset) if {@code timestamp} is above the last entry's. Uses
     * the reserved slot only if {@code sealing}.
     */
    void maybeAppend(long timestamp, long offset, boolean sealing) {
        int n = entries();
        if (n > 0 && timestamp <= lastTimestamp()) {
            return;
        }
        if (timestamp < 0 || n >= maxEntries() || (!sealing && isFull())) {
            return;
        }
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " cannot be indexed in " + file
                + " (base offset " + baseOffset + ")");
        }
        if (n > 0 && offset < lastOffset()) {
            throw new IllegalArgumentException("time index entry offset " + offset + " below last entry offset "
                + lastOffset() + " in " + file);
        }
        ByteBuffer buf = buffer();
        buf.putLong(n * ENTRY_SIZE + TIMESTAMP_OFFSET, timestamp);
        buf.putInt(n * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET, (int) relative);
        publishEntries(n + 1);
    }

    /**
     * Offset from which to scan for the first batch with a timestamp {@code >= targetTimestamp}:
     * the offset of the last entry whose timestamp is strictly below the target (no batch at or
     * before it can match, but its own batch may hold later records), or the base offset.
     */
    long scanStartOffset(long targetTimestamp) {
        int n = entries();
        ByteBuffer buf = buffer();
        int slot = floorSlot(buf, n, targetTimestamp, true);
        return slot < 0 ? baseOffset : offsetAt(buf, slot);
    }

    long timestampAt(int slot) {
        return buffer().getLong(slot * ENTRY_SIZE + TIMESTAMP_OFFSET);
    }

    long offsetAt(int slot) {
        return offsetAt(buffer(), slot);
    }

    private long offsetAt(ByteBuffer buf, int slot) {
        return baseOffset + Integer.toUnsignedLong(buf.getInt(slot * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET));
    }

    /** Largest timestamp indexed, or -1 if empty. */
    long lastTimestamp() {
        int n = entries();
        return n == 0 ? -1 : timestampAt(n - 1);
    }

    /** Offset of the last entry, or the base offset if empty. */
    long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset : offsetAt(n - 1);
    }

    /** Writer only: removes entries whose offset is {@code >= offset}. */
    void truncateToOffset(long offset) {
        int keep = entries();
        while (keep > 0 && offsetAt(keep - 1) >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    @Override
    protected long key(ByteBuffer buf, int slot) {
        return buf.getLong(slot * ENTRY_SIZE + TIMESTAMP_OFFSET);
    }

    @Override
    String sanityCheck(long logSizeBytes) {
        int n = entries();
        if (n == 0) {
            return null;
        }
        if (timestampAt(0) < 0) {
            return "negative timestamp " + timestampAt(0) + " in first entry";
        }
        if (n > 1 && (timestampAt(n - 1) <= timestampAt(n - 2) || offsetAt(n - 1) < offsetAt(n - 2))) {
            return "last entries out of order (timestamp " + timestampAt(n - 2) + " -> " + timestampAt(n - 1)
                + ", offset " + offsetAt(n - 2) + " -> " + offsetAt(n - 1) + ")";
        }
        if (logSizeBytes == 0) {
            return "entries in an index of an empty log";
        }
        return null;
    }
}
