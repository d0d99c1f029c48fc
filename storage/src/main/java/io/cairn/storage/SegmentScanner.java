package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.ATTRIBUTES_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.CRC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LENGTH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;
import static io.cairn.protocol.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Full validation of a segment file, front to back, as recovery needs it: every batch's length,
 * magic, offsets, CRC32C and leader epoch. The batches of a segment cover its offsets without gaps
 * (the first starts at the segment's base offset, each next one right after the previous last
 * offset), which protects {@code baseOffset}, a field the CRC does not cover; the partition's
 * {@link LeaderEpochs} protect {@code partitionLeaderEpoch}, the other one. Reads sequentially through
 * a 1 MiB buffer and computes the CRC incrementally, so a batch of any size is checked without
 * allocating it. Stops at the first invalid batch and reports its position and why.
 *
 * <p>Stateless; each call uses its thread's buffer. Cold path (recovery threads, cleaner).
 */
final class SegmentScanner {
    static final int BUFFER_BYTES = 1024 * 1024;
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(
        () -> ByteBuffer.allocateDirect(BUFFER_BYTES));

    /** Called for each valid batch, in file order. */
    @FunctionalInterface
    interface BatchVisitor {
        void onBatch(long baseOffset, long lastOffset, long maxTimestamp, int position, int batchSize);
    }

    /**
     * Outcome of a scan.
     *
     * @param validBytes    bytes of whole valid batches from the start of the file
     * @param nextOffset    last offset of the last valid batch + 1 (the segment base offset if none)
     * @param fileBytes     size of the file at the time of the scan
     * @param invalidReason why the batch at {@code validBytes} is invalid; null if the whole file is valid
     * @param intact        the invalid batch is whole, its CRC matches and its offsets follow on: only a field
     *                      outside the CRC (the leader epoch) is wrong, which a torn write cannot explain
     */
    record Result(int validBytes, long nextOffset, long fileBytes, String invalidReason, boolean intact) {
        boolean valid() {
            return invalidReason == null;
        }
    }

    private SegmentScanner() {
    }

    /** Validates {@code segment}; the leader epochs are checked against {@code epochs} unless it is null (being rebuilt). */
    static Result scan(LogSegment segment, LeaderEpochs epochs, BatchVisitor visitor) throws IOException {
        return new Walk(segment, BUFFER.get()).run(epochs, visitor);
    }

    /**
     * True if a valid batch (plausible header and matching CRC) starts anywhere after
     * {@code fromPosition}: the difference between damage in the middle of a file and a torn tail.
     */
    static boolean validBatchAfter(LogSegment segment, long fromPosition) throws IOException {
        Walk walk = new Walk(segment, BUFFER.get());
        for (long p = fromPosition + 1; p + HEADER_SIZE <= walk.fileBytes; p++) {
            if (!walk.ensure(p, HEADER_SIZE)) {
                return false;
            }
            ByteBuffer b = walk.buf;
            int at = walk.offsetOf(p);
            if (b.get(at + MAGIC_OFFSET) != MAGIC_V2) {
                continue;
            }
            int length = b.getInt(at + LENGTH_OFFSET);
            if (length < MIN_BATCH_LENGTH || p + LOG_OVERHEAD + (long) length > walk.fileBytes) {
                continue;
            }
            long stored = Integer.toUnsignedLong(b.getInt(at + CRC_OFFSET));
            if (walk.crc(p, LOG_OVERHEAD + length) == stored) {
                return true;
            }
        }
        return false;
    }

    /** Sequential reader state over one file. */
    private static final class Walk {
        final LogSegment segment;
        final FileChannel channel;
        final ByteBuffer buf;
        final ByteBuffer view;
        final long fileBytes;
        final CRC32C crc32c = new CRC32C();
        long windowStart;
        int windowLength;

        Walk(LogSegment segment, ByteBuffer buf) throws IOException {
            this.segment = segment;
            this.channel = segment.channel();
            this.buf = buf;
            this.view = buf.duplicate();
            this.fileBytes = channel.size();
            this.windowStart = 0;
            this.windowLength = 0;
        }

        int offsetOf(long filePosition) {
            return (int) (filePosition - windowStart);
        }

        /** Makes {@code [pos, pos + n)} available in the buffer; false if the file ends first. */
        boolean ensure(long pos, int n) throws IOException {
            if (pos >= windowStart && pos + n <= windowStart + windowLength) {
                return true;
            }
            if (pos + n > fileBytes) {
                return false;
            }
            buf.clear();
            int want = (int) Math.min(buf.capacity(), fileBytes - pos);
            buf.limit(want);
            while (buf.position() < n) {
                int r = channel.read(buf, pos + buf.position());
                if (r < 0) {
                    windowLength = 0;
                    return false;
                }
            }
            windowStart = pos;
            windowLength = buf.position();
            return true;
        }

        /** CRC32C of {@code [batchStart + ATTRIBUTES_OFFSET, batchStart + batchSize)}, streamed. */
        long crc(long batchStart, int batchSize) throws IOException {
            crc32c.reset();
            long p = batchStart + ATTRIBUTES_OFFSET;
            long end = batchStart + batchSize;
            while (p < end) {
                int chunk = (int) Math.min(end - p, buf.capacity());
                if (!ensure(p, chunk)) {
                    return -1;
                }
                int at = offsetOf(p);
                view.limit(at + chunk).position(at);
                crc32c.update(view);
                p += chunk;
            }
            return crc32c.getValue();
        }

        Result run(LeaderEpochs epochs, BatchVisitor visitor) throws IOException {
            long base = segment.baseOffset();
            long pos = 0;
            long next = base;
            while (pos < fileBytes) {
                if (fileBytes > Integer.MAX_VALUE) {
                    return invalid(pos, next, "file size " + fileBytes + " above " + Integer.MAX_VALUE);
                }
                if (!ensure(pos, LOG_OVERHEAD)) {
                    return invalid(pos, next, "truncated batch header: " + (fileBytes - pos) + " bytes left");
                }
                int at = offsetOf(pos);
                int length = buf.getInt(at + LENGTH_OFFSET);
                if (length < MIN_BATCH_LENGTH) {
                    return invalid(pos, next, "batchLength=" + length + " below minimum " + MIN_BATCH_LENGTH);
                }
                long batchEnd = pos + LOG_OVERHEAD + (long) length;
                if (batchEnd > fileBytes) {
                    return invalid(pos, next, "batchLength=" + length + " runs past end of file (size " + fileBytes + ")");
                }
                if (!ensure(pos, HEADER_SIZE)) {
                    return invalid(pos, next, "truncated batch header");
                }
                at = offsetOf(pos);
                byte magic = buf.get(at + MAGIC_OFFSET);
                if (magic != MAGIC_V2) {
                    return invalid(pos, next, "magic=" + magic + " expected=" + MAGIC_V2);
                }
                long batchBase = buf.getLong(at + BASE_OFFSET_OFFSET);
                int lastDelta = buf.getInt(at + LAST_OFFSET_DELTA_OFFSET);
                int count = buf.getInt(at + RECORDS_COUNT_OFFSET);
                long maxTimestamp = buf.getLong(at + MAX_TIMESTAMP_OFFSET);
                long stored = Integer.toUnsignedLong(buf.getInt(at + CRC_OFFSET));
                int epoch = buf.getInt(at + PARTITION_LEADER_EPOCH_OFFSET);
                if (lastDelta < 0 || count < 0 || count > (long) lastDelta + 1) {
                    return invalid(pos, next, "lastOffsetDelta=" + lastDelta + " recordCount=" + count + " inconsistent");
                }
                // baseOffset is outside the CRC; contiguity is what protects it (the cleaner keeps it, see LogCleaner).
                if (batchBase != next || batchBase + lastDelta - base > Integer.MAX_VALUE) {
                    return invalid(pos, next, "baseOffset=" + batchBase + " expected=" + next
                        + " (batches of a segment cover its offsets without gaps; segment base " + base + ")");
                }
                long computed = crc(pos, LOG_OVERHEAD + length);
                if (computed != stored) {
                    return invalid(pos, next, "crc=" + Long.toHexString(computed) + " expected=" + Long.toHexString(stored)
                        + " (baseOffset=" + batchBase + ")");
                }
                if (epochs != null && epoch != epochs.expectedEpoch(epochs.slotFor(batchBase))
                    && !LeaderEpochs.exempt(epoch, count)) {
                    return new Result((int) pos, next, fileBytes, epochs.mismatch(epoch, batchBase), true);
                }
                long lastOffset = batchBase + lastDelta;
                next = lastOffset + 1;
                visitor.onBatch(batchBase, lastOffset, maxTimestamp, (int) pos, LOG_OVERHEAD + length);
                pos = batchEnd;
            }
            return new Result((int) pos, next, fileBytes, null, false);
        }

        private Result invalid(long pos, long next, String reason) {
            return new Result((int) Math.min(pos, Integer.MAX_VALUE), next, fileBytes, reason, false);
        }
    }
}
