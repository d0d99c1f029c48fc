package io.cairn.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Walks the headers of one {@link Record} without allocating: {@link #next()} moves to the next
 * header, then the accessors describe it. Obtained from {@link Record#headers()}; the bytes were
 * bounds-checked when the record was parsed.
 *
 * <pre>{@code
 * HeaderCursor h = record.headers();
 * while (h.next()) {
 *     String key = h.key();          // allocates; compare keyPosition()/keyLength() to avoid it
 *     ByteBuffer value = h.value();  // read-only slice or null
 * }
 * }</pre>
 *
 * Not thread-safe; valid as long as the record view it came from.
 */
public final class HeaderCursor {
    private ByteBuffer buffer;
    private int position;
    private int remaining;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;

    HeaderCursor() {
    }

    HeaderCursor reset(ByteBuffer buffer, int position, int count) {
        this.buffer = buffer;
        this.position = position;
        this.remaining = count;
        this.keyLength = -1;
        this.valueLength = -1;
        return this;
    }

    /** True if another header follows the current one. */
    public boolean hasNext() {
        return remaining > 0;
    }

    /** Moves to the next header; false (and no move) if there is none. */
    public boolean next() {
        if (remaining <= 0) {
            return false;
        }
        remaining--;
        keyLength = readVarint();
        keyPosition = position;
        position += keyLength;
        valueLength = readVarint();
        valuePosition = position;
        position += Math.max(0, valueLength);
        return true;
    }

    /** Absolute position of the current header's key bytes in the record's buffer. */
    public int keyPosition() {
        return keyPosition;
    }

    /** Length of the current header's key in bytes (never null in the format). */
    public int keyLength() {
        return keyLength;
    }

    /** The current header's key decoded as UTF-8 (allocates). */
    public String key() {
        requireCurrent();
        byte[] bytes = new byte[keyLength];
        buffer.get(keyPosition, bytes, 0, keyLength);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Absolute position of the current header's value bytes. */
    public int valuePosition() {
        return valuePosition;
    }

    /** Length of the current header's value, -1 for null. */
    public int valueLength() {
        return valueLength;
    }

    /** The current header's value as a read-only slice of the record's buffer, or null. */
    public ByteBuffer value() {
        requireCurrent();
        return valueLength < 0 ? null : buffer.slice(valuePosition, valueLength).asReadOnlyBuffer();
    }

    /** A copy of the current header's value, or null. */
    public byte[] copyValue() {
        requireCurrent();
        if (valueLength < 0) {
            return null;
        }
        byte[] bytes = new byte[valueLength];
        buffer.get(valuePosition, bytes, 0, valueLength);
        return bytes;
    }

    /** The current header copied into an immutable {@link Header}. */
    public Header toHeader() {
        return new Header(key(), copyValue());
    }

    private void requireCurrent() {
        if (keyLength < 0) {
            throw new NoSuchElementException("no current header: call next() first");
        }
    }

    private int readVarint() {
        int value = 0;
        int shift = 0;
        while (true) {
            int b = buffer.get(position++);
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return ByteUtils.zigZagDecode(value);
            }
            shift += 7;
        }
    }
}
