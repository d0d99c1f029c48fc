package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.BASE_OFFSET_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LENGTH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.RECORDS_COUNT_OFFSET;

import java.nio.ByteBuffer;

/**
 * Static reads (and the two in-place writes storage performs) of v2 batch header fields at an
 * absolute position in a buffer, by the {@link io.cairn.protocol.record.RecordBatchDescriptor}
 * layout. Used where storage only walks headers (append, index rebuild, scans); decoding records
 * is the protocol module's job. Stateless and thread-safe.
 */
final class BatchHeaders {
    private BatchHeaders() {
    }

    static long baseOffset(ByteBuffer buf, int pos) {
        return buf.getLong(pos + BASE_OFFSET_OFFSET);
    }

    static int batchLength(ByteBuffer buf, int pos) {
        return buf.getInt(pos + LENGTH_OFFSET);
    }

    /** Whole batch size including the 12-byte log overhead. */
    static int batchSize(ByteBuffer buf, int pos) {
        return LOG_OVERHEAD + buf.getInt(pos + LENGTH_OFFSET);
    }

    static int partitionLeaderEpoch(ByteBuffer buf, int pos) {
        return buf.getInt(pos + PARTITION_LEADER_EPOCH_OFFSET);
    }

    static int recordCount(ByteBuffer buf, int pos) {
        return buf.getInt(pos + RECORDS_COUNT_OFFSET);
    }

    static byte magic(ByteBuffer buf, int pos) {
        return buf.get(pos + MAGIC_OFFSET);
    }

    static int lastOffsetDelta(ByteBuffer buf, int pos) {
        return buf.getInt(pos + LAST_OFFSET_DELTA_OFFSET);
    }

    static long lastOffset(ByteBuffer buf, int pos) {
        return baseOffset(buf, pos) + lastOffsetDelta(buf, pos);
    }

    static long maxTimestamp(ByteBuffer buf, int pos) {
        return buf.getLong(pos + MAX_TIMESTAMP_OFFSET);
    }

    static void setBaseOffset(ByteBuffer buf, int pos, long baseOffset) {
        buf.putLong(pos + BASE_OFFSET_OFFSET, baseOffset);
    }

    static void setPartitionLeaderEpoch(ByteBuffer buf, int pos, int epoch) {
        buf.putInt(pos + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }
}
