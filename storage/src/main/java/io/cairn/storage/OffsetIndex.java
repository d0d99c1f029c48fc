package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sparse index from offset to byte position in a segment's {@code .log} file.
 *
 * <pre>
 *   entry (8 bytes, big-endian), one per index.interval.bytes of batches:
 *   +-------------------------------+-------------------------------+
 *   |  relativeOffset (u32)         |  position (u32)               |
 *   +-------------------------------+-------------------------------+
 *   relativeOffset = baseOffset of the indexed batch - segment base offset  (always > 0)
 *   position       = byte position of that batch in the .log file
 * </pre>
 *
 * Entries are strictly increasing in both fields. The first batch of a segment is never indexed
 * (its position is 0). A lookup returns the position of the last indexed batch whose base offset
 * is at or below the target; the caller scans batch headers forward from there.
 *
 * <p>Threading as {@link AbstractIndex}: the log's writer appends; readers look up lock-free.
 */
final class OffsetIndex extends AbstractIndex {
    static final int ENTRY_SIZE = 8;
    static final int RELATIVE_OFFSET_OFFSET = 0;
    static final int POSITION_OFFSET = RELATIVE_OFFSET_OFFSET + 4;

    OffsetIndex(Path file, long baseOffset, int maxIndexBytes, FileChannelFactory channels) throws IOException {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE, channels);
    }

    /** Writer only: indexes the batch starting at {@code position} whose base offset is {@code offset}. */
    void append(long offset, int position) {
        int n = entries();
        if (n >= maxEntries()) {
            throw new IllegalStateException("offset index full: " + this);
        }
        long relative = offset - baseOffset;
        if (relative <= 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " cannot be indexed in " + file
                + " (base offset " + baseOffset + ")");
        }
        if (n > 0) {
            ByteBuffer buf = buffer();
            if (relative <= Integer.toUnsignedLong(buf.getInt(n * ENTRY_SIZE - ENTRY_SIZE))
                || position <= buf.getInt(n * ENTRY_SIZE - ENTRY_SIZE + POSITION_OFFSET)) {
                throw new IllegalArgumentException("index entry (offset=" + offset + ", position=" + position
                    + ") not after last entry (offset=" + lastOffset() + ", position=" + lastPosition() + ") in " + file);
            }
        }
        ByteBuffer buf = buffer();
        buf.putInt(n * ENTRY_SIZE, (int) relative);
        buf.putInt(n * ENTRY_SIZE + POSITION_OFFSET, position);
        publishEntries(n + 1);
    }

    /** Position of the last indexed batch with base offset {@code <= targetOffset}; 0 if none. */
    int floorPosition(long targetOffset) {
        int n = entries();
        ByteBuffer buf = buffer();
        int slot = floorSlot(buf, n, targetOffset, false);
        return slot < 0 ? 0 : buf.getInt(slot * ENTRY_SIZE + POSITION_OFFSET);
    }

    /** Slot of the last entry with base offset {@code <= targetOffset}; -1 if none (start at position 0). */
    int floorSlot(long targetOffset) {
        return floorSlot(buffer(), entries(), targetOffset, false);
    }

    /** Largest indexed batch position that is {@code <= position}; 0 if none. */
    int floorPositionByPosition(int position) {
        int n = entries();
        ByteBuffer buf = buffer();
        int lo = 0;
        int hi = n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int p = buf.getInt(mid * ENTRY_SIZE + POSITION_OFFSET);
            if (p <= position) {
                found = p;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Absolute offset of entry {@code slot}. */
    long offsetAt(int slot) {
        return baseOffset + Integer.toUnsignedLong(buffer().getInt(slot * ENTRY_SIZE));
    }

    /** Position of entry {@code slot}. */
    int positionAt(int slot) {
        return buffer().getInt(slot * ENTRY_SIZE + POSITION_OFFSET);
    }

    /** Offset of the last entry, or the base offset if empty. */
    long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset : offsetAt(n - 1);
    }

    /** Position of the last entry, or 0 if empty. */
    int lastPosition() {
        int n = entries();
        return n == 0 ? 0 : positionAt(n - 1);
    }

    /** Writer only: removes entries for batches at or after byte {@code position}. */
    void truncateToPosition(int position) {
        int n = entries();
        ByteBuffer buf = buffer();
        int keep = n;
        while (keep > 0 && buf.getInt((keep - 1) * ENTRY_SIZE + POSITION_OFFSET) >= position) {
            keep--;
        }
        truncateToEntries(keep);
    }

    @Override
    protected long key(ByteBuffer buf, int slot) {
        return baseOffset + Integer.toUnsignedLong(buf.getInt(slot * ENTRY_SIZE));
    }

    @Override
    String sanityCheck(long logSizeBytes) {
        int n = entries();
        if (n == 0) {
            return null;
        }
        if (offsetAt(0) <= baseOffset) {
            return "first entry offset " + offsetAt(0) + " not above base offset " + baseOffset;
        }
        if (n > 1 && (offsetAt(n - 1) <= offsetAt(n - 2) || positionAt(n - 1) <= positionAt(n - 2))) {
            return "last entries not increasing (offset " + offsetAt(n - 2) + " -> " + offsetAt(n - 1)
                + ", position " + positionAt(n - 2) + " -> " + positionAt(n - 1) + ")";
        }
        if (positionAt(n - 1) >= logSizeBytes || positionAt(0) <= 0) {
            return "entry position out of log range (first " + positionAt(0) + ", last " + positionAt(n - 1)
                + ", log size " + logSizeBytes + ")";
        }
        return null;
    }
}
