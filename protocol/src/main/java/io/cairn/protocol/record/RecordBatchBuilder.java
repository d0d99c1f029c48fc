package io.cairn.protocol.record;

import static io.cairn.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_SEQUENCE_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.CONTROL_FLAG_MASK;
import static io.cairn.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LENGTH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_PRODUCER_EPOCH;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_PRODUCER_ID;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_SEQUENCE;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_TIMESTAMP;
import static io.cairn.protocol.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.PRODUCER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.PRODUCER_ID_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.TIMESTAMP_TYPE_MASK;
import static io.cairn.protocol.record.RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds one v2 record batch at a time into memory it keeps and reuses: configure, append
 * records, {@link #build()}, then {@link #reset()} for the next batch. The producer uses
 * {@link #append} (offset deltas 0, 1, 2 …); the log cleaner uses {@link #appendWithOffset} to
 * keep a subset of a batch's records at their original offsets, with
 * {@link #overrideLastOffset(long)} to keep the original batch's last offset.
 *
 * <p>Records are encoded as they are appended. Uncompressed, they go straight after the header
 * and appending allocates nothing once the buffer has grown to its working size. Compressed, they
 * are kept uncompressed in a second reusable buffer and compressed by {@link #build()}.
 *
 * <p>{@code baseTimestamp} is the first record's timestamp, {@code maxTimestamp} the largest
 * record timestamp. Settings go back to their defaults on {@link #reset()}: no compression,
 * baseOffset 0, no producer id/epoch/sequence, partitionLeaderEpoch -1, create time, neither
 * transactional nor control.
 *
 * <p>Not thread-safe: one thread builds at a time (the producer's accumulator, the cleaner).
 */
public final class RecordBatchBuilder {
    /** Largest batch the builder will produce: batchLength must fit an i32. */
    public static final int MAX_BATCH_SIZE_BYTES = Integer.MAX_VALUE - 64;
    private static final int DEFAULT_INITIAL_CAPACITY = 16 * 1024;
    private static final Header[] NO_HEADERS = new Header[0];

    private final CRC32C crc = new CRC32C();
    private ByteBuffer out;
    private ByteBuffer uncompressed;
    private ByteBuffer built;

    private CompressionType compressionType;
    private long baseOffset;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private int partitionLeaderEpoch;
    private TimestampType timestampType;
    private boolean transactional;
    private boolean control;
    private long lastOffsetOverride;
    private boolean hasLastOffsetOverride;
    private float estimatedCompressionRatio;

    private int recordCount;
    private long lastOffset;
    private long baseTimestamp;
    private long maxTimestamp;

    /** A builder with a 16 KiB initial buffer. */
    public RecordBatchBuilder() {
        this(DEFAULT_INITIAL_CAPACITY);
    }

    /** A builder whose buffer starts at {@code initialCapacity} bytes (it grows as needed). */
    public RecordBatchBuilder(int initialCapacity) {
        this.out = ByteBuffer.allocate(Math.max(HEADER_SIZE, initialCapacity));
        reset();
    }

    /**
     * Forgets the records and settings of the previous batch, keeping the memory. Invalidates the
     * buffer returned by the previous {@link #build()}.
     *
     * @return this
     */
    public RecordBatchBuilder reset() {
        compressionType = CompressionType.NONE;
        baseOffset = 0;
        producerId = NO_PRODUCER_ID;
        producerEpoch = NO_PRODUCER_EPOCH;
        baseSequence = NO_SEQUENCE;
        partitionLeaderEpoch = NO_PARTITION_LEADER_EPOCH;
        timestampType = TimestampType.CREATE_TIME;
        transactional = false;
        control = false;
        hasLastOffsetOverride = false;
        estimatedCompressionRatio = 1.0f;
        recordCount = 0;
        lastOffset = -1;
        baseTimestamp = NO_TIMESTAMP;
        maxTimestamp = NO_TIMESTAMP;
        built = null;
        out.clear().position(HEADER_SIZE);
        return this;
    }

    /** Sets the codec; only before the first record. */
    public RecordBatchBuilder compressionType(CompressionType type) {
        Objects.requireNonNull(type, "compression type");
        requireNoRecords("compression type");
        this.compressionType = type;
        if (type != CompressionType.NONE) {
            if (uncompressed == null) {
                uncompressed = ByteBuffer.allocate(out.capacity());
            }
            uncompressed.clear();
        }
        return this;
    }

    /** Sets the offset of the first offset delta; only before the first record. Default 0. */
    public RecordBatchBuilder baseOffset(long offset) {
        requireNoRecords("base offset");
        if (offset < 0) {
            throw new IllegalArgumentException("base offset must be >= 0: " + offset);
        }
        this.baseOffset = offset;
        return this;
    }

    /** Sets the idempotent producer fields. Defaults -1, -1, -1 (no idempotence). */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        requireOpen();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Sets the partition leader epoch. Default -1. */
    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        requireOpen();
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /** Sets the timestamp type bit. Default create time. */
    public RecordBatchBuilder timestampType(TimestampType type) {
        requireOpen();
        this.timestampType = Objects.requireNonNull(type, "timestamp type");
        return this;
    }

    /** Sets the transactional attribute bit. */
    public RecordBatchBuilder transactional(boolean transactional) {
        requireOpen();
        this.transactional = transactional;
        return this;
    }

    /** Sets the control-batch attribute bit. */
    public RecordBatchBuilder control(boolean control) {
        requireOpen();
        this.control = control;
        return this;
    }

    /**
     * Makes the batch's last offset {@code lastOffset} instead of the last record's offset, so
     * {@code lastOffsetDelta = lastOffset - baseOffset}. The cleaner uses it to keep a filtered
     * batch covering the same offsets as the original (and to write an empty batch that only
     * preserves producer state). Must not be below the last appended offset at build time.
     */
    public RecordBatchBuilder overrideLastOffset(long lastOffset) {
        requireOpen();
        this.lastOffsetOverride = lastOffset;
        this.hasLastOffsetOverride = true;
        return this;
    }

    /**
     * Expected compressed/uncompressed size ratio used by {@link #estimatedSizeInBytes()} for
     * compressed batches; default 1.0 (assume no gain). The producer can feed back observed ratios.
     */
    public RecordBatchBuilder estimatedCompressionRatio(float ratio) {
        if (!(ratio > 0) || Float.isInfinite(ratio)) {
            throw new IllegalArgumentException("compression ratio must be positive and finite: " + ratio);
        }
        this.estimatedCompressionRatio = ratio;
        return this;
    }

    /**
     * Appends a record at the next offset (the base offset for the first record, the last offset
     * + 1 after). Keys and values are copied from their position to their limit; the buffers'
     * positions do not move. Null means null (length -1), distinct from an empty buffer.
     *
     * @param headers headers, or null for none
     * @return the record's offset
     */
    public long append(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        long offset = nextOffset();
        appendWithOffset(offset, timestamp, key, value, headers);
        return offset;
    }

    /** {@link #append(long, ByteBuffer, ByteBuffer, Header[])} with byte arrays (null allowed) and no headers. */
    public long append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, key, value, NO_HEADERS);
    }

    /** {@link #append(long, ByteBuffer, ByteBuffer, Header[])} with byte arrays (null allowed). */
    public long append(long timestamp, byte[] key, byte[] value, Header[] headers) {
        long offset = nextOffset();
        appendRecord(offset, timestamp, null, key, null, value, headers);
        return offset;
    }

    /**
     * Appends a record at an explicit {@code offset}, which must be at least the base offset and
     * above the previous record's offset (gaps are allowed: offset deltas then skip numbers).
     */
    public void appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        appendRecord(offset, timestamp, key, null, value, null, headers);
    }

    /** {@link #appendWithOffset(long, long, ByteBuffer, ByteBuffer, Header[])} with byte arrays (null allowed). */
    public void appendWithOffset(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
        appendRecord(offset, timestamp, null, key, null, value, headers);
    }

    /**
     * Copies {@code record} (a view from a {@link RecordCursor}) with its offset, timestamp, key,
     * value and headers unchanged; the cleaner's path. Header bytes are copied verbatim, without
     * decoding. Allocates nothing for an uncompressed target once warmed up.
     */
    public void appendWithOffset(Record record) {
        long offset = record.offset();
        long timestamp = record.timestamp();
        checkAppend(offset, timestamp);
        ByteBuffer src = record.buffer();
        int keyLength = record.keyLength();
        int valueLength = record.valueLength();
        int headersLength = record.endPosition() - record.headersPosition();
        int offsetDelta = (int) (offset - baseOffset);
        long timestampDelta = timestamp - firstTimestamp(timestamp);
        int bodySize = bodySizeWithoutHeaders(offsetDelta, timestampDelta, keyLength, valueLength)
                + ByteUtils.sizeOfVarint(record.headerCount()) + headersLength;
        ByteBuffer target = reserve(ByteUtils.sizeOfVarint(bodySize) + bodySize);
        writePrefix(target, bodySize, record.attributes(), timestampDelta, offsetDelta);
        writeLengthAndBytes(target, src, record.keyPosition(), keyLength);
        writeLengthAndBytes(target, src, record.valuePosition(), valueLength);
        ByteUtils.writeVarint(record.headerCount(), target);
        target.put(target.position(), src, record.headersPosition(), headersLength);
        target.position(target.position() + headersLength);
        recordAppended(offset, timestamp);
    }

    private void appendRecord(long offset, long timestamp, ByteBuffer keyBuffer, byte[] keyArray,
                              ByteBuffer valueBuffer, byte[] valueArray, Header[] headers) {
        checkAppend(offset, timestamp);
        Header[] hs = headers == null ? NO_HEADERS : headers;
        int keyLength = length(keyBuffer, keyArray);
        int valueLength = length(valueBuffer, valueArray);
        int offsetDelta = (int) (offset - baseOffset);
        long timestampDelta = timestamp - firstTimestamp(timestamp);
        int bodySize = bodySizeWithoutHeaders(offsetDelta, timestampDelta, keyLength, valueLength) + headersSize(hs);
        ByteBuffer target = reserve(ByteUtils.sizeOfVarint(bodySize) + bodySize);
        writePrefix(target, bodySize, (byte) 0, timestampDelta, offsetDelta);
        writeLengthAndBytes(target, keyBuffer, keyArray, keyLength);
        writeLengthAndBytes(target, valueBuffer, valueArray, valueLength);
        ByteUtils.writeVarint(hs.length, target);
        for (Header header : hs) {
            byte[] headerKey = header.keyBytes();
            ByteUtils.writeVarint(headerKey.length, target);
            target.put(headerKey);
            byte[] headerValue = header.value();
            if (headerValue == null) {
                ByteUtils.writeVarint(-1, target);
            } else {
                ByteUtils.writeVarint(headerValue.length, target);
                target.put(headerValue);
            }
        }
        recordAppended(offset, timestamp);
    }

    /** Number of records appended. */
    public int recordCount() {
        return recordCount;
    }

    /** True if no record has been appended. */
    public boolean isEmpty() {
        return recordCount == 0;
    }

    /** The offset {@link #append} would give the next record. */
    public long nextOffset() {
        return recordCount == 0 ? baseOffset : lastOffset + 1;
    }

    /** Bytes of records appended so far, uncompressed. */
    public int uncompressedRecordsSizeInBytes() {
        return recordsBuffer().position() - recordsStart();
    }

    /**
     * Estimated size of the batch {@link #build()} would produce now: exact when uncompressed; for
     * compressed batches the header plus the uncompressed records scaled by
     * {@link #estimatedCompressionRatio(float)}.
     */
    public int estimatedSizeInBytes() {
        if (built != null) {
            return built.remaining();
        }
        int records = uncompressedRecordsSizeInBytes();
        if (compressionType == CompressionType.NONE) {
            return HEADER_SIZE + records;
        }
        return HEADER_SIZE + (int) Math.min(MAX_BATCH_SIZE_BYTES, (long) Math.ceil(records * (double) estimatedCompressionRatio));
    }

    /**
     * Whether a record with these fields can be appended without the estimated batch size passing
     * {@code maxBatchSizeBytes}. Always true for an empty builder (a record larger than the limit
     * still gets a batch of its own, as in Kafka); false once built.
     */
    public boolean hasRoomFor(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers, int maxBatchSizeBytes) {
        return hasRoomFor(timestamp, length(key, null), length(value, null), headers, maxBatchSizeBytes);
    }

    /** {@link #hasRoomFor(long, ByteBuffer, ByteBuffer, Header[], int)} with byte arrays. */
    public boolean hasRoomFor(long timestamp, byte[] key, byte[] value, Header[] headers, int maxBatchSizeBytes) {
        return hasRoomFor(timestamp, length(null, key), length(null, value), headers, maxBatchSizeBytes);
    }

    private boolean hasRoomFor(long timestamp, int keyLength, int valueLength, Header[] headers, int maxBatchSizeBytes) {
        if (built != null) {
            return false;
        }
        if (recordCount == 0) {
            return true;
        }
        long offsetDelta = lastOffset + 1 - baseOffset;
        if (offsetDelta > Integer.MAX_VALUE) {
            return false;
        }
        int bodySize = bodySizeWithoutHeaders((int) offsetDelta, timestamp - baseTimestamp, keyLength, valueLength)
                + headersSize(headers == null ? NO_HEADERS : headers);
        long recordSize = ByteUtils.sizeOfVarint(bodySize) + bodySize;
        if (compressionType != CompressionType.NONE) {
            recordSize = (long) Math.ceil(recordSize * (double) estimatedCompressionRatio);
        }
        return estimatedSizeInBytes() + recordSize <= maxBatchSizeBytes;
    }

    /**
     * Finishes the batch: compresses the records if configured, writes the header and the CRC32C.
     * Returns the batch as a buffer with position 0 and limit = its size, sharing the builder's
     * memory: it stays valid until {@link #reset()} (copy it to keep it longer). Appending is
     * refused afterwards; calling build() again returns the same bytes. With no records and no
     * {@link #overrideLastOffset(long)} there is no batch to write and the result is empty.
     */
    public ByteBuffer build() {
        if (built != null) {
            return built.duplicate();
        }
        if (recordCount == 0 && !hasLastOffsetOverride) {
            built = ByteBuffer.allocate(0);
            return built.duplicate();
        }
        long last = hasLastOffsetOverride ? lastOffsetOverride : lastOffset;
        if (recordCount > 0 && last < lastOffset) {
            throw new IllegalStateException("overridden last offset=" + last + " below the last record's offset=" + lastOffset);
        }
        long lastOffsetDelta = last - baseOffset;
        if (lastOffsetDelta < 0 || lastOffsetDelta > Integer.MAX_VALUE) {
            throw new IllegalStateException("last offset=" + last + " not within an i32 delta of base offset=" + baseOffset);
        }
        if (compressionType != CompressionType.NONE) {
            compressRecords();
        }
        int size = out.position();
        int attributes = compressionType.id()
                | (timestampType == TimestampType.LOG_APPEND_TIME ? TIMESTAMP_TYPE_MASK : 0)
                | (transactional ? TRANSACTIONAL_FLAG_MASK : 0)
                | (control ? CONTROL_FLAG_MASK : 0);
        out.putLong(BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(LENGTH_OFFSET, size - LOG_OVERHEAD);
        out.putInt(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.put(MAGIC_OFFSET, MAGIC_V2);
        out.putShort(ATTRIBUTES_OFFSET, (short) attributes);
        out.putInt(LAST_OFFSET_DELTA_OFFSET, (int) lastOffsetDelta);
        out.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(PRODUCER_ID_OFFSET, producerId);
        out.putShort(PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RECORDS_COUNT_OFFSET, recordCount);
        crc.reset();
        crc.update(out.array(), out.arrayOffset() + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
        out.putInt(CRC_OFFSET, (int) crc.getValue());
        built = out.duplicate().position(0).limit(size).slice();
        return built.duplicate();
    }

    private void compressRecords() {
        out.position(HEADER_SIZE);
        try (OutputStream compressed = Codecs.codec(compressionType).compressTo(new GrowingOutput())) {
            compressed.write(uncompressed.array(), uncompressed.arrayOffset(), uncompressed.position());
        } catch (IOException e) {
            // Compressing into memory does not do I/O; a failure here is a codec bug.
            throw new UncheckedIOException("compressing " + recordCount + " records with " + compressionType + " failed", e);
        }
    }

    private void checkAppend(long offset, long timestamp) {
        requireOpen();
        if (offset < baseOffset) {
            throw new IllegalArgumentException("offset=" + offset + " below base offset=" + baseOffset);
        }
        if (recordCount > 0 && offset <= lastOffset) {
            throw new IllegalArgumentException("offset=" + offset + " not above the previous offset=" + lastOffset);
        }
        if (offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset=" + offset + " too far from base offset=" + baseOffset
                    + " for an i32 offset delta");
        }
        if (recordCount == Integer.MAX_VALUE) {
            throw new IllegalStateException("batch already holds " + recordCount + " records");
        }
    }

    private long firstTimestamp(long timestamp) {
        return recordCount == 0 ? timestamp : baseTimestamp;
    }

    private void recordAppended(long offset, long timestamp) {
        if (recordCount == 0) {
            baseTimestamp = timestamp;
            maxTimestamp = timestamp;
        } else if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        lastOffset = offset;
        recordCount++;
    }

    private static int bodySizeWithoutHeaders(int offsetDelta, long timestampDelta, int keyLength, int valueLength) {
        return 1 + ByteUtils.sizeOfVarlong(timestampDelta) + ByteUtils.sizeOfVarint(offsetDelta)
                + ByteUtils.sizeOfVarint(keyLength) + Math.max(0, keyLength)
                + ByteUtils.sizeOfVarint(valueLength) + Math.max(0, valueLength);
    }

    private static int headersSize(Header[] headers) {
        int size = ByteUtils.sizeOfVarint(headers.length);
        for (Header header : headers) {
            size += header.sizeInBytes();
        }
        return size;
    }

    private static int length(ByteBuffer buffer, byte[] array) {
        if (buffer != null) {
            return buffer.remaining();
        }
        return array == null ? -1 : array.length;
    }

    private static void writePrefix(ByteBuffer target, int bodySize, byte attributes, long timestampDelta, int offsetDelta) {
        ByteUtils.writeVarint(bodySize, target);
        target.put(attributes);
        ByteUtils.writeVarlong(timestampDelta, target);
        ByteUtils.writeVarint(offsetDelta, target);
    }

    private static void writeLengthAndBytes(ByteBuffer target, ByteBuffer buffer, byte[] array, int length) {
        ByteUtils.writeVarint(length, target);
        if (length > 0) {
            if (buffer != null) {
                target.put(target.position(), buffer, buffer.position(), length);
                target.position(target.position() + length);
            } else {
                target.put(array, 0, length);
            }
        }
    }

    private static void writeLengthAndBytes(ByteBuffer target, ByteBuffer src, int position, int length) {
        ByteUtils.writeVarint(length, target);
        if (length > 0) {
            target.put(target.position(), src, position, length);
            target.position(target.position() + length);
        }
    }

    private ByteBuffer recordsBuffer() {
        return compressionType == CompressionType.NONE ? out : uncompressed;
    }

    private int recordsStart() {
        return compressionType == CompressionType.NONE ? HEADER_SIZE : 0;
    }

    /** The buffer records go to, with room for {@code bytes} more. */
    private ByteBuffer reserve(int bytes) {
        if (compressionType == CompressionType.NONE) {
            out = ensureRoom(out, bytes);
            return out;
        }
        uncompressed = ensureRoom(uncompressed, bytes);
        return uncompressed;
    }

    private static ByteBuffer ensureRoom(ByteBuffer buffer, int bytes) {
        long required = (long) buffer.position() + bytes;
        if (required <= buffer.capacity()) {
            return buffer;
        }
        if (required > MAX_BATCH_SIZE_BYTES) {
            throw new IllegalStateException("batch would exceed " + MAX_BATCH_SIZE_BYTES + " bytes: " + required);
        }
        long grown = Math.min(MAX_BATCH_SIZE_BYTES, Math.max(required, (long) buffer.capacity() * 2));
        ByteBuffer larger = ByteBuffer.allocate((int) grown);
        larger.put(0, buffer, 0, buffer.position());
        larger.position(buffer.position());
        return larger;
    }

    private void requireNoRecords(String setting) {
        requireOpen();
        if (recordCount > 0) {
            throw new IllegalStateException("cannot change the " + setting + " after " + recordCount + " records were appended");
        }
    }

    private void requireOpen() {
        if (built != null) {
            throw new IllegalStateException("batch already built; call reset() to start another");
        }
    }

    /** Appends compressed bytes after the header, growing {@link #out}. */
    private final class GrowingOutput extends OutputStream {
        @Override
        public void write(int b) {
            out = ensureRoom(out, 1);
            out.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            out = ensureRoom(out, length);
            out.put(bytes, offset, length);
        }
    }
}
