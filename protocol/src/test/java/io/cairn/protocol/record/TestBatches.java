package io.cairn.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Test helpers that write batches byte by byte, so malformed ones can be made on purpose. */
final class TestBatches {
    private TestBatches() {
    }

    /**
     * A v2 batch around an arbitrary records section, with a correct length and CRC:
     * baseOffset 0, create time, no producer, baseTimestamp 0, maxTimestamp {@code maxTimestamp}.
     */
    static ByteBuffer rawBatch(int attributes, int recordCount, int lastOffsetDelta, long maxTimestamp, byte[] records) {
        ByteBuffer b = ByteBuffer.allocate(RecordBatchDescriptor.HEADER_SIZE + records.length);
        b.putLong(0L);
        b.putInt(RecordBatchDescriptor.MIN_BATCH_LENGTH + records.length);
        b.putInt(-1);
        b.put(RecordBatchDescriptor.MAGIC_V2);
        b.putInt(0);
        b.putShort((short) attributes);
        b.putInt(lastOffsetDelta);
        b.putLong(0L);
        b.putLong(maxTimestamp);
        b.putLong(-1L);
        b.putShort((short) -1);
        b.putInt(-1);
        b.putInt(recordCount);
        b.put(records);
        b.flip();
        fixCrc(b, 0);
        return b;
    }

    /** Recomputes the CRC of the batch at {@code position} after a test edited covered bytes. */
    static void fixCrc(ByteBuffer buffer, int position) {
        int size = RecordBatch.sizeInBytes(buffer, position);
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.limit(position + size).position(position + RecordBatchDescriptor.ATTRIBUTES_OFFSET);
        crc.update(covered);
        buffer.putInt(position + RecordBatchDescriptor.CRC_OFFSET, (int) crc.getValue());
    }

    /** Bytes from unsigned ints, for writing records by hand. */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A copy of {@code buffer}'s remaining bytes in a fresh heap buffer (position 0). */
    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate());
        copy.flip();
        return copy;
    }

    /** Buffers concatenated into one. */
    static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer part : parts) {
            all.put(part.duplicate());
        }
        all.flip();
        return all;
    }
}
