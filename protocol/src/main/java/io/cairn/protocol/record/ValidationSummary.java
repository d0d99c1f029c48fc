package io.cairn.protocol.record;

import java.util.Arrays;

/**
 * What {@link RecordBatchValidator} learned about a buffer of batches that passed validation:
 * counts, the first batch's producer fields, and per batch its position, size, record count,
 * {@code lastOffsetDelta} and largest timestamp, which is what the broker needs to assign offsets
 * ({@link RecordBatch#setBaseOffset}), check idempotence and update the time index without walking
 * the records again.
 *
 * <p>Owned and reused by its validator: valid until that validator's next call. Arrays grow
 * with the batch count and are kept, so a warmed-up validator fills this without allocating.
 * Not thread-safe.
 */
public final class ValidationSummary {
    private int batchCount;
    private int recordCount;
    private long offsetCount;
    private int sizeInBytes;
    private long maxTimestamp;
    private long firstProducerId;
    private short firstProducerEpoch;
    private int firstBaseSequence;
    private boolean anyCompressed;

    private int[] positions = new int[4];
    private int[] sizes = new int[4];
    private int[] recordCounts = new int[4];
    private int[] lastOffsetDeltas = new int[4];
    private long[] maxTimestamps = new long[4];
    private int[] maxTimestampOffsetDeltas = new int[4];

    ValidationSummary() {
    }

    void clear() {
        batchCount = 0;
        recordCount = 0;
        offsetCount = 0;
        sizeInBytes = 0;
        maxTimestamp = RecordBatchDescriptor.NO_TIMESTAMP;
        firstProducerId = RecordBatchDescriptor.NO_PRODUCER_ID;
        firstProducerEpoch = RecordBatchDescriptor.NO_PRODUCER_EPOCH;
        firstBaseSequence = RecordBatchDescriptor.NO_SEQUENCE;
        anyCompressed = false;
    }

    void add(RecordBatch batch, int records, long batchMaxTimestamp, int maxTimestampOffsetDelta) {
        if (batchCount == positions.length) {
            int n = batchCount * 2;
            positions = Arrays.copyOf(positions, n);
            sizes = Arrays.copyOf(sizes, n);
            recordCounts = Arrays.copyOf(recordCounts, n);
            lastOffsetDeltas = Arrays.copyOf(lastOffsetDeltas, n);
            maxTimestamps = Arrays.copyOf(maxTimestamps, n);
            maxTimestampOffsetDeltas = Arrays.copyOf(maxTimestampOffsetDeltas, n);
        }
        if (batchCount == 0) {
            firstProducerId = batch.producerId();
            firstProducerEpoch = batch.producerEpoch();
            firstBaseSequence = batch.baseSequence();
        }
        int i = batchCount++;
        positions[i] = batch.position();
        sizes[i] = batch.sizeInBytes();
        recordCounts[i] = records;
        lastOffsetDeltas[i] = batch.lastOffsetDelta();
        maxTimestamps[i] = batchMaxTimestamp;
        maxTimestampOffsetDeltas[i] = maxTimestampOffsetDelta;
        recordCount += records;
        offsetCount += batch.lastOffsetDelta() + 1L;
        sizeInBytes += sizes[i];
        maxTimestamp = Math.max(maxTimestamp, batchMaxTimestamp);
        anyCompressed |= batch.compressionId() != 0;
    }

    /** Number of batches. */
    public int batchCount() {
        return batchCount;
    }

    /** Records in all batches. */
    public int recordCount() {
        return recordCount;
    }

    /**
     * Offsets the batches take when appended: the sum of {@code lastOffsetDelta + 1}. Equals
     * {@link #recordCount()} for producer batches.
     */
    public long offsetCount() {
        return offsetCount;
    }

    /** Bytes of all batches together (the validated range). */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Largest of the per-batch maximum timestamps; -1 if there is none. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** producerId of the first batch (-1 if none or no batches). */
    public long firstProducerId() {
        return firstProducerId;
    }

    /** producerEpoch of the first batch. */
    public short firstProducerEpoch() {
        return firstProducerEpoch;
    }

    /** baseSequence of the first batch. */
    public int firstBaseSequence() {
        return firstBaseSequence;
    }

    /** True if any batch is compressed. */
    public boolean anyCompressed() {
        return anyCompressed;
    }

    /** Absolute position of batch {@code i} in the validated buffer. */
    public int batchPosition(int i) {
        return positions[check(i)];
    }

    /** Size in bytes of batch {@code i}. */
    public int batchSizeInBytes(int i) {
        return sizes[check(i)];
    }

    /** Records in batch {@code i}. */
    public int batchRecordCount(int i) {
        return recordCounts[check(i)];
    }

    /** {@code lastOffsetDelta} of batch {@code i}: it takes offsets base .. base + this. */
    public int batchLastOffsetDelta(int i) {
        return lastOffsetDeltas[check(i)];
    }

    /**
     * Largest record timestamp of batch {@code i} (equal to its header's maxTimestamp when the
     * validator checks that); the header value for log-append-time batches; -1 for an empty batch.
     */
    public long batchMaxTimestamp(int i) {
        return maxTimestamps[check(i)];
    }

    /** Offset delta of the first record of batch {@code i} that carries {@link #batchMaxTimestamp(int)}; -1 if empty. */
    public int batchMaxTimestampOffsetDelta(int i) {
        return maxTimestampOffsetDeltas[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= batchCount) {
            throw new IndexOutOfBoundsException("batch index " + i + " outside 0.." + (batchCount - 1));
        }
        return i;
    }

    @Override
    public String toString() {
        return "ValidationSummary(batches=" + batchCount + ", records=" + recordCount + ", offsets=" + offsetCount
                + ", bytes=" + sizeInBytes + ", maxTimestamp=" + maxTimestamp + ", producerId=" + firstProducerId
                + ", producerEpoch=" + firstProducerEpoch + ", baseSequence=" + firstBaseSequence + ")";
    }
}
