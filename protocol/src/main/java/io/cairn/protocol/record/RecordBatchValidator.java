package io.cairn.protocol.record;

import static io.cairn.protocol.record.InvalidRecordBatchException.Reason;
import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_TIMESTAMP;

import java.nio.ByteBuffer;

/**
 * Checks a buffer holding one or more concatenated batches before the broker trusts it: the
 * produce path calls {@link #validateProduce}, anything re-reading stored batches may call
 * {@link #validateStored}. Checks, in order, per batch (first failure wins):
 *
 * <ol>
 *   <li>sizes: at least a 12-byte log overhead left ({@code TRAILING_BYTES}), batchLength at
 *       least 49 ({@code BATCH_LENGTH_TOO_SMALL}), the batch inside the range
 *       ({@code TRUNCATED_BATCH}), at most the configured maximum ({@code BATCH_TOO_LARGE});</li>
 *   <li>magic 2, CRC32C, known compression id, non-negative recordCount (and, for producer
 *       batches, at least one record);</li>
 *   <li>every record, parsed strictly by {@link RecordCursor} (lengths, varints, key/value/header
 *       bounds), decompressing into a buffer capped at {@code maxDecompressedBytes};</li>
 *   <li>the number of records equals recordCount with no bytes left over;</li>
 *   <li>offset deltas: producer batches 0, 1, 2 … with lastOffsetDelta equal to the last one;
 *       stored batches strictly increasing from at least 0 with lastOffsetDelta not below the last
 *       one (the cleaner leaves gaps);</li>
 *   <li>optionally, a create-time batch's maxTimestamp equals its largest record timestamp.</li>
 * </ol>
 *
 * Every failure is an {@link InvalidRecordBatchException} whose {@link Reason} names the rule and
 * whose message names the batch index, its position, the field and the value found against the
 * one expected. On success a {@link ValidationSummary} owned by this validator is returned.
 *
 * <p><b>Allocation:</b> one validator reuses its flyweight, cursor, decompression buffer and
 * summary, so validating uncompressed batches allocates nothing per record or per call once
 * warmed up. Not thread-safe: keep one per thread (e.g. per event loop).
 */
public final class RecordBatchValidator {
    /** Default cap on one batch's decompressed records. */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = RecordCursor.DEFAULT_MAX_DECOMPRESSED_BYTES;

    private final int maxBatchSizeBytes;
    private final boolean checkMaxTimestamp;
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor;
    private final ValidationSummary summary = new ValidationSummary();

    /**
     * A validator with the maxTimestamp check on.
     *
     * @param maxBatchSizeBytes    largest batch accepted, in bytes (e.g. {@code max.message.bytes})
     * @param maxDecompressedBytes cap on one batch's decompressed records (zip-bomb guard)
     */
    public RecordBatchValidator(int maxBatchSizeBytes, int maxDecompressedBytes) {
        this(maxBatchSizeBytes, maxDecompressedBytes, true);
    }

    /**
     * @param maxBatchSizeBytes    largest batch accepted, in bytes
     * @param maxDecompressedBytes cap on one batch's decompressed records
     * @param checkMaxTimestamp    whether a create-time batch's maxTimestamp must equal its
     *                             largest record timestamp ({@code MAX_TIMESTAMP_MISMATCH})
     */
    public RecordBatchValidator(int maxBatchSizeBytes, int maxDecompressedBytes, boolean checkMaxTimestamp) {
        if (maxBatchSizeBytes < HEADER_SIZE) {
            throw new IllegalArgumentException("maxBatchSizeBytes=" + maxBatchSizeBytes + " below the header size " + HEADER_SIZE);
        }
        this.maxBatchSizeBytes = maxBatchSizeBytes;
        this.cursor = new RecordCursor(maxDecompressedBytes);
        this.checkMaxTimestamp = checkMaxTimestamp;
    }

    /**
     * Validates producer batches in {@code buffer[from, to)}: the strict rules (offset deltas
     * exactly 0..n-1, at least one record). The buffer's position and limit do not move; nothing
     * is modified. An empty range gives a summary with no batches.
     *
     * @return this validator's summary, valid until its next call
     * @throws InvalidRecordBatchException on the first broken rule
     */
    public ValidationSummary validateProduce(ByteBuffer buffer, int from, int to) {
        return validate(buffer, from, to, true);
    }

    /**
     * Validates batches as they may be stored in a log: as {@link #validateProduce} but offset
     * deltas need only increase strictly, lastOffsetDelta may lie beyond the last record, and
     * batches may be empty (the cleaner produces both).
     */
    public ValidationSummary validateStored(ByteBuffer buffer, int from, int to) {
        return validate(buffer, from, to, false);
    }

    private ValidationSummary validate(ByteBuffer buffer, int from, int to, boolean producer) {
        if (from < 0 || to < from || to > buffer.limit()) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside buffer limit=" + buffer.limit());
        }
        summary.clear();
        int position = from;
        int index = 0;
        while (position < to) {
            validateBatch(buffer, position, to, index, producer);
            position += batch.sizeInBytes();
            index++;
        }
        return summary;
    }

    private void validateBatch(ByteBuffer buffer, int position, int to, int index, boolean producer) {
        int remaining = to - position;
        if (remaining < LOG_OVERHEAD) {
            throw fail(Reason.TRAILING_BYTES, index, position, remaining + " bytes left after the last batch, fewer than the "
                    + LOG_OVERHEAD + "-byte batch overhead");
        }
        batch.wrap(buffer, position);
        int batchLength = batch.batchLength();
        if (batchLength < MIN_BATCH_LENGTH) {
            throw fail(Reason.BATCH_LENGTH_TOO_SMALL, index, position, "batchLength=" + batchLength + " expected >= " + MIN_BATCH_LENGTH);
        }
        if (batchLength > remaining - LOG_OVERHEAD) {
            throw fail(Reason.TRUNCATED_BATCH, index, position, "batchLength=" + batchLength + " expected <= "
                    + (remaining - LOG_OVERHEAD) + " (bytes left in the buffer)");
        }
        int size = batch.sizeInBytes();
        if (size > maxBatchSizeBytes) {
            throw fail(Reason.BATCH_TOO_LARGE, index, position, "sizeInBytes=" + size + " expected <= " + maxBatchSizeBytes);
        }
        byte magic = batch.magic();
        if (magic != MAGIC_V2) {
            throw fail(Reason.INVALID_MAGIC, index, position, "magic=" + magic + " expected " + MAGIC_V2);
        }
        long storedCrc = batch.crc();
        long computedCrc = batch.computeCrc();
        if (storedCrc != computedCrc) {
            throw fail(Reason.CRC_MISMATCH, index, position, "crc=0x" + Long.toHexString(storedCrc)
                    + " expected=0x" + Long.toHexString(computedCrc));
        }
        int compressionId = batch.compressionId();
        if (!CompressionType.isKnownId(compressionId)) {
            throw fail(Reason.UNKNOWN_COMPRESSION, index, position, "compression id=" + compressionId + " expected 0 to 4");
        }
        int recordCount = batch.recordCount();
        if (recordCount < 0) {
            throw fail(Reason.INVALID_RECORD_COUNT, index, position, "recordCount=" + recordCount + " expected >= 0");
        }
        if (producer && recordCount == 0) {
            throw fail(Reason.EMPTY_BATCH, index, position, "recordCount=0 expected >= 1 in a producer batch");
        }
        validateRecords(index, position, producer, recordCount);
    }

    private void validateRecords(int index, int position, boolean producer, int recordCount) {
        long maxRecordTimestamp = NO_TIMESTAMP;
        int maxTimestampOffsetDelta = -1;
        int previousDelta = -1;
        RecordCursor records = startRecords(index);
        while (records.hasNext()) {
            Record record = nextRecord(records, index);
            int delta = record.offsetDelta();
            if (producer ? delta != previousDelta + 1 : delta <= previousDelta) {
                throw fail(Reason.INVALID_OFFSET_DELTA, index, position, "record " + (records.index() - 1)
                        + " offsetDelta=" + delta + " expected " + (producer ? Integer.toString(previousDelta + 1)
                        : "> " + previousDelta));
            }
            previousDelta = delta;
            long timestamp = record.timestamp();
            if (maxTimestampOffsetDelta < 0 || timestamp > maxRecordTimestamp) {
                maxRecordTimestamp = timestamp;
                maxTimestampOffsetDelta = delta;
            }
        }
        if (records.remainingBytes() != 0) {
            throw fail(Reason.RECORD_COUNT_MISMATCH, index, position, records.remainingBytes()
                    + " bytes remain after recordCount=" + recordCount + " records");
        }
        int lastOffsetDelta = batch.lastOffsetDelta();
        if (producer ? lastOffsetDelta != previousDelta : lastOffsetDelta < Math.max(previousDelta, 0)) {
            throw fail(Reason.LAST_OFFSET_DELTA_MISMATCH, index, position, "lastOffsetDelta=" + lastOffsetDelta + " expected "
                    + (producer ? "" : ">= ") + Math.max(previousDelta, 0) + " (last record's offsetDelta)");
        }
        long batchMaxTimestamp = maxRecordTimestamp;
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            batchMaxTimestamp = batch.maxTimestamp();
        } else if (checkMaxTimestamp && recordCount > 0 && batch.maxTimestamp() != maxRecordTimestamp) {
            throw fail(Reason.MAX_TIMESTAMP_MISMATCH, index, position, "maxTimestamp=" + batch.maxTimestamp()
                    + " expected " + maxRecordTimestamp + " (largest record timestamp)");
        }
        summary.add(batch, recordCount, batchMaxTimestamp, maxTimestampOffsetDelta);
    }

    private RecordCursor startRecords(int index) {
        try {
            return cursor.reset(batch);
        } catch (InvalidRecordBatchException e) {
            throw e.withContext("batch " + index);
        }
    }

    private static Record nextRecord(RecordCursor records, int index) {
        try {
            return records.next();
        } catch (InvalidRecordBatchException e) {
            throw e.withContext("batch " + index);
        }
    }

    private static InvalidRecordBatchException fail(Reason reason, int index, int position, String detail) {
        return new InvalidRecordBatchException(reason, "batch " + index + " at position=" + position + ": " + detail);
    }
}
