package io.cairn.protocol.record;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A view of one record inside a batch, handed out by {@link RecordCursor}. It copies nothing:
 * key, value and headers are positions in {@link #buffer()} (the batch's own buffer for an
 * uncompressed batch, the cursor's decompression buffer otherwise).
 *
 * <p><b>The view is reused</b>: the cursor moves the same instance to the next record on each
 * advance, so it is valid only until the next {@link RecordCursor#next()} or
 * {@link RecordCursor#reset}. Copy what you need to keep ({@link #copyKey()},
 * {@link #copyValue()}).
 *
 * <p>Layout of one record (all lengths zig-zag varints, -1 = null):
 * <pre>
 *   length:varint attributes:i8 timestampDelta:varlong offsetDelta:varint
 *   keyLength:varint key valueLength:varint value
 *   headerCount:varint [headerKeyLength:varint headerKey headerValueLength:varint headerValue]...
 * </pre>
 *
 * Not thread-safe; belongs to its cursor's thread.
 */
public final class Record {
    private final HeaderCursor headerCursor = new HeaderCursor();

    private ByteBuffer buffer;
    private long baseOffset;
    private long baseTimestamp;
    private int position;
    private int sizeInBytes;
    private byte attributes;
    private long timestampDelta;
    private int offsetDelta;
    private int keyPosition;
    private int keyLength;
    private int valuePosition;
    private int valueLength;
    private int headerCount;
    private int headersPosition;

    Record() {
    }

    void set(ByteBuffer buffer, long baseOffset, long baseTimestamp, int position, int sizeInBytes, byte attributes,
             long timestampDelta, int offsetDelta, int keyPosition, int keyLength, int valuePosition, int valueLength,
             int headerCount, int headersPosition) {
        this.buffer = buffer;
        this.baseOffset = baseOffset;
        this.baseTimestamp = baseTimestamp;
        this.position = position;
        this.sizeInBytes = sizeInBytes;
        this.attributes = attributes;
        this.timestampDelta = timestampDelta;
        this.offsetDelta = offsetDelta;
        this.keyPosition = keyPosition;
        this.keyLength = keyLength;
        this.valuePosition = valuePosition;
        this.valueLength = valueLength;
        this.headerCount = headerCount;
        this.headersPosition = headersPosition;
    }

    /** The buffer holding this record's bytes; all positions below are absolute in it. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute position of the record's first byte (its length varint) in {@link #buffer()}. */
    public int position() {
        return position;
    }

    /** Encoded size of the record, including its length prefix. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Record attributes (unused by the v2 format, normally 0). */
    public byte attributes() {
        return attributes;
    }

    /** {@code baseOffset + offsetDelta} of the batch as currently wrapped. */
    public long offset() {
        return baseOffset + offsetDelta;
    }

    /** Offset relative to the batch's base offset. */
    public int offsetDelta() {
        return offsetDelta;
    }

    /** {@code baseTimestamp + timestampDelta}. For log-append-time batches use the batch's maxTimestamp. */
    public long timestamp() {
        return baseTimestamp + timestampDelta;
    }

    /** Timestamp relative to the batch's base timestamp. */
    public long timestampDelta() {
        return timestampDelta;
    }

    /** False if the key is null (length -1); true for an empty key. */
    public boolean hasKey() {
        return keyLength >= 0;
    }

    /** Key length in bytes, -1 for a null key. */
    public int keyLength() {
        return keyLength;
    }

    /** Absolute position of the key bytes in {@link #buffer()} (meaningless when the key is null). */
    public int keyPosition() {
        return keyPosition;
    }

    /**
     * The key as a read-only slice sharing {@link #buffer()}'s memory (position 0, limit = length),
     * or null for a null key. Allocates the slice object; use {@link #keyPosition()} and
     * {@link #keyLength()} on allocation-free paths.
     */
    public ByteBuffer key() {
        return keyLength < 0 ? null : buffer.slice(keyPosition, keyLength).asReadOnlyBuffer();
    }

    /** A copy of the key bytes, or null for a null key. */
    public byte[] copyKey() {
        return copy(keyPosition, keyLength);
    }

    /** False if the value is null (a tombstone); true for an empty value. */
    public boolean hasValue() {
        return valueLength >= 0;
    }

    /** Value length in bytes, -1 for a null value. */
    public int valueLength() {
        return valueLength;
    }

    /** Absolute position of the value bytes in {@link #buffer()} (meaningless when the value is null). */
    public int valuePosition() {
        return valuePosition;
    }

    /**
     * The value as a read-only slice sharing {@link #buffer()}'s memory, or null for a null value.
     * Allocates the slice object; see {@link #key()}.
     */
    public ByteBuffer value() {
        return valueLength < 0 ? null : buffer.slice(valuePosition, valueLength).asReadOnlyBuffer();
    }

    /** A copy of the value bytes, or null for a null value. */
    public byte[] copyValue() {
        return copy(valuePosition, valueLength);
    }

    /** Number of headers. */
    public int headerCount() {
        return headerCount;
    }

    /**
     * The headers, through a cursor owned by this view and restarted on each call (no allocation).
     * Valid as long as this view is.
     */
    public HeaderCursor headers() {
        return headerCursor.reset(buffer, headersPosition, headerCount);
    }

    /** Absolute position of the first header (just after the header count) in {@link #buffer()}. */
    int headersPosition() {
        return headersPosition;
    }

    /** First byte after this record. */
    int endPosition() {
        return position + sizeInBytes;
    }

    private byte[] copy(int at, int length) {
        if (length < 0) {
            return null;
        }
        if (buffer.hasArray()) {
            // Arrays.copyOfRange lets the JIT allocate the array without zeroing it first.
            int from = buffer.arrayOffset() + at;
            return Arrays.copyOfRange(buffer.array(), from, from + length);
        }
        byte[] bytes = new byte[length];
        buffer.get(at, bytes, 0, length);
        return bytes;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset() + ", timestamp=" + timestamp() + ", keyLength=" + keyLength
                + ", valueLength=" + valueLength + ", headerCount=" + headerCount + ")";
    }
}
