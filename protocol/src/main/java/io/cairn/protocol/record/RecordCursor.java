package io.cairn.protocol.record;

import static io.cairn.protocol.record.InvalidRecordBatchException.Reason;

import io.cairn.protocol.record.compress.DecompressedSizeExceededException;
import io.cairn.protocol.record.compress.DecompressionBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates the records of one batch as {@link Record} views, parsing each record strictly: every
 * varint, length and header is bounds-checked against the record's length prefix, and a record
 * whose fields do not end exactly where its length says fails with an
 * {@link InvalidRecordBatchException} naming the reason, so garbage is never handed out as data.
 *
 * <p><b>Allocation:</b> for an uncompressed batch iteration allocates nothing; the views point
 * into the batch's own buffer. A compressed batch is decompressed once, in {@link #reset}, into a
 * {@link DecompressionBuffer} reused across batches and capped at the size given to the
 * constructor (a zip bomb fails with {@link Reason#DECOMPRESSED_TOO_LARGE}); the views then point
 * into that buffer.
 *
 * <p><b>The returned {@link Record} is the same object every time</b> and is valid only until the
 * next {@link #next()} or {@link #reset}. The cursor is both the iterator and, for for-each
 * convenience, its own {@link Iterable}: {@code for (Record r : batch.records())} walks once.
 *
 * <p>{@link #hasNext()} follows the batch's {@code recordCount}; it does not notice extra bytes
 * after the last record; check {@link #remainingBytes()} after the walk if that matters (the
 * {@link RecordBatchValidator} does). Not thread-safe.
 */
public final class RecordCursor implements Iterator<Record>, Iterable<Record> {
    /** Default cap on a batch's decompressed records: 64 MiB. */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    private final Record record = new Record();
    private final int maxDecompressedBytes;
    private DecompressionBuffer decompressed;

    private ByteBuffer data;
    private int position;
    private int end;
    private int index;
    private int count;
    private long baseOffset;
    private long baseTimestamp;
    private int batchPosition;
    private boolean compressed;
    private int recordStart;

    /** A cursor whose decompression buffer may grow to {@link #DEFAULT_MAX_DECOMPRESSED_BYTES}. */
    public RecordCursor() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /** A cursor whose decompression buffer may grow to {@code maxDecompressedBytes}. */
    public RecordCursor(int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must be positive: " + maxDecompressedBytes);
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /**
     * Starts iterating {@code batch}'s records, decompressing them first if the batch is
     * compressed. Reads the batch's header fields now; later re-wraps of the flyweight do not
     * affect this cursor. The batch must lie wholly inside its buffer's limit.
     *
     * @return this
     * @throws InvalidRecordBatchException for an unknown compression id, a batch running past the
     *                                     buffer, a corrupt compressed stream or one that
     *                                     decompresses past the cap
     */
    public RecordCursor reset(RecordBatch batch) {
        ByteBuffer buffer = batch.buffer();
        this.count = 0;
        this.batchPosition = batch.position();
        int size = batch.sizeInBytes();
        if (size < RecordBatchDescriptor.HEADER_SIZE) {
            throw new InvalidRecordBatchException(Reason.BATCH_LENGTH_TOO_SMALL, "batch at position=" + batchPosition
                    + ": batchLength=" + batch.batchLength() + " expected >= " + RecordBatchDescriptor.MIN_BATCH_LENGTH);
        }
        if ((long) batchPosition + size > buffer.limit()) {
            throw new InvalidRecordBatchException(Reason.TRUNCATED_BATCH, "batch at position=" + batchPosition
                    + ": sizeInBytes=" + size + " runs past buffer limit=" + buffer.limit());
        }
        // Until decompression succeeded the cursor is empty, so a failed reset cannot be iterated.
        this.count = 0;
        this.index = 0;
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        int compressionId = batch.compressionId();
        if (compressionId == CompressionType.NONE.id()) {
            this.compressed = false;
            this.data = buffer;
            this.position = batch.recordsPosition();
            this.end = batchPosition + size;
        } else {
            CompressionType type = batch.compressionType();
            decompress(type, buffer, batch.recordsPosition(), batch.recordsSizeInBytes());
            this.compressed = true;
            this.data = decompressed.byteBuffer();
            this.position = 0;
            this.end = decompressed.size();
        }
        this.count = batch.recordCount();
        return this;
    }

    private void decompress(CompressionType type, ByteBuffer buffer, int from, int length) {
        if (decompressed == null) {
            decompressed = new DecompressionBuffer(maxDecompressedBytes);
        }
        decompressed.clear();
        try {
            Codecs.codec(type).decompress(buffer, from, length, decompressed);
        } catch (DecompressedSizeExceededException e) {
            throw new InvalidRecordBatchException(Reason.DECOMPRESSED_TOO_LARGE, "batch at position=" + batchPosition
                    + ": " + type + " records decompress to more than maxDecompressedBytes=" + maxDecompressedBytes, e);
        } catch (IOException e) {
            throw new InvalidRecordBatchException(Reason.DECOMPRESSION_FAILED, "batch at position=" + batchPosition
                    + ": " + type + " records (" + length + " bytes) do not decompress: " + e.getMessage(), e);
        }
    }

    /** The batch's {@code recordCount}. */
    public int recordCount() {
        return count;
    }

    /** Records returned so far. */
    public int index() {
        return index;
    }

    /** Unparsed bytes left in the (decompressed) records section. 0 after the last record of a well-formed batch. */
    public int remainingBytes() {
        return end - position;
    }

    /** True if the current batch was compressed and the views point into the decompression buffer. */
    public boolean isDecompressed() {
        return compressed;
    }

    /** True while fewer than {@code recordCount} records have been returned. */
    @Override
    public boolean hasNext() {
        return index < count;
    }

    /**
     * Parses the next record and returns the (reused) view of it.
     *
     * @throws NoSuchElementException      after {@code recordCount} records
     * @throws InvalidRecordBatchException if the record is malformed or the section ends early
     */
    @Override
    public Record next() {
        if (index >= count) {
            throw new NoSuchElementException("all " + count + " records of the batch at position=" + batchPosition + " read");
        }
        int start = position;
        recordStart = start;
        if (start >= end) {
            throw fail(Reason.RECORD_COUNT_MISMATCH, "recordCount=" + count + " but the records end after " + index + " records");
        }
        int length = readVarint(end, "record length", Reason.RECORD_LENGTH_MISMATCH);
        if (length < 0 || length > end - position) {
            throw fail(Reason.RECORD_LENGTH_MISMATCH, "record length=" + length + " expected 0.." + (end - position)
                    + " (bytes left in the records section)");
        }
        int recordEnd = position + length;
        if (position >= recordEnd) {
            throw fail(Reason.RECORD_LENGTH_MISMATCH, "record length=0 leaves no room for attributes");
        }
        byte attributes = data.get(position++);
        long timestampDelta = readVarlong(recordEnd);
        int offsetDelta = readVarint(recordEnd, "offsetDelta", Reason.RECORD_LENGTH_MISMATCH);

        int keyLength = readVarint(recordEnd, "keyLength", Reason.RECORD_LENGTH_MISMATCH);
        if (keyLength < -1 || keyLength > recordEnd - position) {
            throw fail(Reason.INVALID_KEY_LENGTH, "keyLength=" + keyLength + " expected -1.." + (recordEnd - position));
        }
        int keyPosition = position;
        position += Math.max(0, keyLength);

        int valueLength = readVarint(recordEnd, "valueLength", Reason.RECORD_LENGTH_MISMATCH);
        if (valueLength < -1 || valueLength > recordEnd - position) {
            throw fail(Reason.INVALID_VALUE_LENGTH, "valueLength=" + valueLength + " expected -1.." + (recordEnd - position));
        }
        int valuePosition = position;
        position += Math.max(0, valueLength);

        int headerCount = readVarint(recordEnd, "headerCount", Reason.RECORD_LENGTH_MISMATCH);
        // Each header takes at least two bytes (empty key, null value).
        if (headerCount < 0 || headerCount > (recordEnd - position) / 2) {
            throw fail(Reason.INVALID_HEADER_COUNT, "headerCount=" + headerCount + " expected 0.." + (recordEnd - position) / 2);
        }
        int headersPosition = position;
        for (int h = 0; h < headerCount; h++) {
            int headerKeyLength = readVarint(recordEnd, "headerKeyLength", Reason.RECORD_LENGTH_MISMATCH);
            if (headerKeyLength < 0 || headerKeyLength > recordEnd - position) {
                throw fail(Reason.INVALID_HEADER_KEY_LENGTH, "header " + h + " keyLength=" + headerKeyLength
                        + " expected 0.." + (recordEnd - position));
            }
            position += headerKeyLength;
            int headerValueLength = readVarint(recordEnd, "headerValueLength", Reason.RECORD_LENGTH_MISMATCH);
            if (headerValueLength < -1 || headerValueLength > recordEnd - position) {
                throw fail(Reason.INVALID_HEADER_VALUE_LENGTH, "header " + h + " valueLength=" + headerValueLength
                        + " expected -1.." + (recordEnd - position));
            }
            position += Math.max(0, headerValueLength);
        }
        if (position != recordEnd) {
            throw fail(Reason.RECORD_LENGTH_MISMATCH, "record length=" + length + " but its fields take "
                    + (position - (recordEnd - length)) + " bytes");
        }
        record.set(data, baseOffset, baseTimestamp, start, recordEnd - start, attributes, timestampDelta, offsetDelta,
                keyPosition, keyLength, valuePosition, valueLength, headerCount, headersPosition);
        index++;
        return record;
    }

    /** This cursor itself: a for-each loop walks the records once. */
    @Override
    public Iterator<Record> iterator() {
        return this;
    }

    private int readVarint(int limit, String field, Reason truncatedReason) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position >= limit) {
                throw fail(truncatedReason, "record ends inside varint field " + field);
            }
            int b = data.get(position++);
            if (shift == 28 && (b & 0xF0) != 0) {
                throw fail(Reason.MALFORMED_VARINT, "varint field " + field + " longer than 5 bytes or wider than 32 bits");
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return ByteUtils.zigZagDecode(value);
            }
        }
        throw new AssertionError("unreachable");
    }

    private long readVarlong(int limit) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= limit) {
                throw fail(Reason.RECORD_LENGTH_MISMATCH, "record ends inside varlong field timestampDelta");
            }
            int b = data.get(position++);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw fail(Reason.MALFORMED_VARINT, "varlong field timestampDelta longer than 10 bytes or wider than 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return ByteUtils.zigZagDecode(value);
            }
        }
        throw new AssertionError("unreachable");
    }

    private InvalidRecordBatchException fail(Reason reason, String detail) {
        String where = compressed ? "decompressed position=" : "position=";
        return new InvalidRecordBatchException(reason, "batch at position=" + batchPosition + ", record " + index
                + " at " + where + recordStart + ": " + detail);
    }
}
