package io.cairn.protocol.record;

import static io.cairn.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_SEQUENCE_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.COMPRESSION_CODEC_MASK;
import static io.cairn.protocol.record.RecordBatchDescriptor.CONTROL_FLAG_MASK;
import static io.cairn.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LENGTH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_SEQUENCE;
import static io.cairn.protocol.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.PRODUCER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.PRODUCER_ID_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.RECORDS_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.TIMESTAMP_TYPE_MASK;
import static io.cairn.protocol.record.RecordBatchDescriptor.TRANSACTIONAL_FLAG_MASK;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Flyweight over one v2 record batch at an absolute position of a {@link ByteBuffer}; see
 * {@link RecordBatchDescriptor} for the layout. {@link #wrap} points it at a batch without copying
 * or allocating, so one instance can walk a whole segment or request. Nothing here moves the
 * buffer's position or limit, and the buffer's byte order does not matter (fields are read
 * big-endian).
 *
 * <p>The header getters need only the {@link RecordBatchDescriptor#HEADER_SIZE} header bytes in
 * the buffer (storage may wrap a 61-byte header read from a file); {@link #computeCrc()},
 * {@link #isCrcValid()} and {@link #records()} need the whole batch. Getters do not validate:
 * use {@link RecordBatchValidator} (produce) or at least check {@link #magic()} and
 * {@link #isCrcValid()} (recovery) before trusting a batch.
 *
 * <p>Not thread-safe: each thread uses its own instance. The wrapped buffer is shared, not owned.
 */
public final class RecordBatch {
    private ByteBuffer buffer;
    private int position;
    private boolean bigEndian;

    private final CRC32C crc = new CRC32C();
    /** A duplicate of a direct buffer, kept so CRC computation does not move the caller's position. */
    private ByteBuffer crcView;
    private ByteBuffer crcViewSource;
    private RecordCursor cursor;

    /** An unwrapped flyweight; call {@link #wrap} before anything else. */
    public RecordBatch() {
    }

    /** A flyweight over the batch at {@code position} of {@code buffer}. */
    public RecordBatch(ByteBuffer buffer, int position) {
        wrap(buffer, position);
    }

    /**
     * Points this flyweight at the batch starting at absolute {@code position} of {@code buffer}.
     * Does not read, copy or allocate.
     *
     * @return this
     */
    public RecordBatch wrap(ByteBuffer buffer, int position) {
        Objects.requireNonNull(buffer, "buffer");
        if (position < 0 || position > buffer.capacity()) {
            throw new IndexOutOfBoundsException("batch position=" + position + " outside buffer capacity=" + buffer.capacity());
        }
        this.buffer = buffer;
        this.position = position;
        this.bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        return this;
    }

    /**
     * Size in bytes (12 + batchLength) of the batch at {@code position}, read without a flyweight;
     * -1 if fewer than {@link RecordBatchDescriptor#LOG_OVERHEAD} bytes lie between
     * {@code position} and the buffer's limit. The result is whatever the length field says: a
     * corrupt field gives a value below {@link RecordBatchDescriptor#HEADER_SIZE} (possibly
     * negative), which callers must treat as corruption.
     */
    public static int sizeInBytes(ByteBuffer buffer, int position) {
        if (position < 0 || buffer.limit() - position < LOG_OVERHEAD) {
            return -1;
        }
        int length = buffer.getInt(position + LENGTH_OFFSET);
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            length = Integer.reverseBytes(length);
        }
        return LOG_OVERHEAD + length;
    }

    /** The wrapped buffer (shared, not a copy). */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute position of the batch's first byte in {@link #buffer()}. */
    public int position() {
        return position;
    }

    /** Offset of the first record, as assigned by the broker (0 in a batch fresh from a producer). */
    public long baseOffset() {
        return getLong(BASE_OFFSET_OFFSET);
    }

    /** The {@code batchLength} field: bytes after it, i.e. {@link #sizeInBytes()} - 12. */
    public int batchLength() {
        return getInt(LENGTH_OFFSET);
    }

    /** Whole size of the batch in bytes: 12 + {@link #batchLength()}. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    /** Leader epoch of the partition when the batch was appended (-1 if unknown). */
    public int partitionLeaderEpoch() {
        return getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    /** The format version; 2 for every valid batch. */
    public byte magic() {
        return buffer.get(position + MAGIC_OFFSET);
    }

    /** The stored CRC32C, as an unsigned value. */
    public long crc() {
        return Integer.toUnsignedLong(getInt(CRC_OFFSET));
    }

    /** The raw 16-bit attributes. */
    public short attributes() {
        return getShort(ATTRIBUTES_OFFSET);
    }

    /** The compression id, bits 0-2 of the attributes (0 to 7; only 0 to 4 are assigned). */
    public int compressionId() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    /**
     * The compression codec.
     *
     * @throws InvalidRecordBatchException with {@link InvalidRecordBatchException.Reason#UNKNOWN_COMPRESSION}
     *                                     if the id is 5, 6 or 7
     */
    public CompressionType compressionType() {
        int id = compressionId();
        if (!CompressionType.isKnownId(id)) {
            throw new InvalidRecordBatchException(InvalidRecordBatchException.Reason.UNKNOWN_COMPRESSION,
                    "batch at position=" + position + ": compression id=" + id + " expected 0 to 4");
        }
        return CompressionType.forId(id);
    }

    /** Whether timestamps are create time or log-append time (attribute bit 3). */
    public TimestampType timestampType() {
        return TimestampType.fromAttributes(attributes());
    }

    /** Attribute bit 4. */
    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    /** Attribute bit 5: the batch holds control records (transaction markers). */
    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    /** Offset of the last record relative to {@link #baseOffset()}. */
    public int lastOffsetDelta() {
        return getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    /** {@code baseOffset + lastOffsetDelta}: the offset of the last record. */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** {@code lastOffset + 1}: the offset the next batch in the log starts at. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** Timestamp of the first record; record timestamps are stored as deltas from it. */
    public long baseTimestamp() {
        return getLong(BASE_TIMESTAMP_OFFSET);
    }

    /** The largest record timestamp, or the log-append time for {@link TimestampType#LOG_APPEND_TIME}. */
    public long maxTimestamp() {
        return getLong(MAX_TIMESTAMP_OFFSET);
    }

    /** The idempotent producer's id, -1 if none. */
    public long producerId() {
        return getLong(PRODUCER_ID_OFFSET);
    }

    /** The idempotent producer's epoch, -1 if none. */
    public short producerEpoch() {
        return getShort(PRODUCER_EPOCH_OFFSET);
    }

    /** Sequence number of the first record, -1 if none. */
    public int baseSequence() {
        return getInt(BASE_SEQUENCE_OFFSET);
    }

    /**
     * Sequence number of the last record: {@code baseSequence + lastOffsetDelta}, wrapping from
     * {@link Integer#MAX_VALUE} to 0 as Kafka's sequences do; -1 if the batch has no sequence.
     */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
    }

    /** The {@code recordCount} field (not checked against the records present). */
    public int recordCount() {
        return getInt(RECORDS_COUNT_OFFSET);
    }

    /** Absolute position of the first record byte (compressed or not) in {@link #buffer()}. */
    public int recordsPosition() {
        return position + RECORDS_OFFSET;
    }

    /** Length of the records section (compressed length if compressed): batchLength - 49. */
    public int recordsSizeInBytes() {
        return sizeInBytes() - RECORDS_OFFSET;
    }

    /**
     * Overwrites {@code baseOffset} in place: how the broker assigns offsets. The CRC does not
     * cover this field, so it stays valid.
     */
    public void setBaseOffset(long baseOffset) {
        putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Overwrites {@code partitionLeaderEpoch} in place; not covered by the CRC. */
    public void setPartitionLeaderEpoch(int epoch) {
        putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the timestamp type bit and {@code maxTimestamp}, then rewrites the CRC (both fields are
     * covered by it). The broker uses this to stamp log-append time on a batch.
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        int attributes = attributes();
        attributes = type == TimestampType.LOG_APPEND_TIME
                ? attributes | TIMESTAMP_TYPE_MASK
                : attributes & ~TIMESTAMP_TYPE_MASK;
        putShort(ATTRIBUTES_OFFSET, (short) attributes);
        putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        writeCrc();
    }

    /**
     * CRC32C of the bytes from {@code attributes} to the end of the batch (as given by
     * {@code batchLength}), unsigned. The buffer's position and limit do not move.
     *
     * @throws IndexOutOfBoundsException if the batch runs past the buffer's limit or its length
     *                                   field is below the minimum
     */
    public long computeCrc() {
        int from = position + ATTRIBUTES_OFFSET;
        int to = position + sizeInBytes();
        if (to < from || to > buffer.limit()) {
            throw new IndexOutOfBoundsException("batch at position=" + position + ": crc range [" + from + ", " + to
                    + ") outside buffer limit=" + buffer.limit());
        }
        crc.reset();
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + from, to - from);
        } else {
            ByteBuffer view = crcView(buffer);
            view.limit(to).position(from);
            crc.update(view);
        }
        return crc.getValue();
    }

    /** True if the stored CRC matches {@link #computeCrc()}; false also if the batch is incomplete. */
    public boolean isCrcValid() {
        int size = sizeInBytes();
        if (size < RECORDS_OFFSET || (long) position + size > buffer.limit()) {
            return false;
        }
        return computeCrc() == crc();
    }

    /** Writes {@link #computeCrc()} into the crc field; for code that edits covered fields in place. */
    public void writeCrc() {
        putInt(CRC_OFFSET, (int) computeCrc());
    }

    /**
     * The records of this batch, through a cursor owned by this flyweight and reused on each call
     * (so the walk does not allocate per record for uncompressed batches). Calling this again, or
     * re-wrapping the flyweight, restarts it. Compressed records are decompressed into the
     * cursor's reusable buffer, capped at {@link RecordCursor#DEFAULT_MAX_DECOMPRESSED_BYTES}; use
     * your own {@link RecordCursor} to set another cap.
     *
     * @throws InvalidRecordBatchException if the batch is compressed and cannot be decompressed
     */
    public RecordCursor records() {
        if (cursor == null) {
            cursor = new RecordCursor();
        }
        return cursor.reset(this);
    }

    private ByteBuffer crcView(ByteBuffer source) {
        if (crcViewSource != source) {
            crcView = source.duplicate();
            crcViewSource = source;
        }
        crcView.clear();
        return crcView;
    }

    private long getLong(int field) {
        long v = buffer.getLong(position + field);
        return bigEndian ? v : Long.reverseBytes(v);
    }

    private int getInt(int field) {
        int v = buffer.getInt(position + field);
        return bigEndian ? v : Integer.reverseBytes(v);
    }

    private short getShort(int field) {
        short v = buffer.getShort(position + field);
        return bigEndian ? v : Short.reverseBytes(v);
    }

    private void putLong(int field, long value) {
        buffer.putLong(position + field, bigEndian ? value : Long.reverseBytes(value));
    }

    private void putInt(int field, int value) {
        buffer.putInt(position + field, bigEndian ? value : Integer.reverseBytes(value));
    }

    private void putShort(int field, short value) {
        buffer.putShort(position + field, bigEndian ? value : Short.reverseBytes(value));
    }

    @Override
    public String toString() {
        if (buffer == null) {
            return "RecordBatch(unwrapped)";
        }
        return "RecordBatch(position=" + position + ", baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset()
                + ", sizeInBytes=" + sizeInBytes() + ", magic=" + magic() + ", crc=" + crc()
                + ", compression=" + compressionId() + ", timestampType=" + timestampType()
                + ", producerId=" + producerId() + ", producerEpoch=" + producerEpoch()
                + ", baseSequence=" + baseSequence() + ", recordCount=" + recordCount() + ")";
    }
}
