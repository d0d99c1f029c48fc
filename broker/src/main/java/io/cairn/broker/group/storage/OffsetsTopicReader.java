package io.cairn.broker.group.storage;

import io.cairn.broker.partition.PartitionLog;
import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.storage.LogReadResult;
import io.cairn.storage.StorageException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the records of a partition of {@code __consumer_offsets} in offset order, a chunk of whole
 * batches at a time, checking each batch's CRC. Used to load a coordinator shard. Not thread-safe.
 */
final class OffsetsTopicReader {

    /** Bytes read from the log per step (a larger first batch is read whole). */
    static final int READ_CHUNK_BYTES = 1 << 20;

    /** Receives one record: its offset, key (null if absent) and value (null for a tombstone). */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(long offset, ByteBuffer key, ByteBuffer value);
    }

    private OffsetsTopicReader() {
    }

    /**
     * Visits every record with an offset in {@code [from, to)}, skipping control batches.
     *
     * @return the offset reading stopped at ({@code to}, unless the log holds less)
     * @throws StorageException a batch fails its CRC, or the log no longer holds {@code from}
     */
    static long read(PartitionLog log, long from, long to, RecordVisitor visitor) throws IOException {
        long next = from;
        while (next < to) {
            LogReadResult result = log.read(next, READ_CHUNK_BYTES, to);
            if (result.offsetOutOfRange()) {
                throw new StorageException(log.topicPartition() + ": offset " + next + " is outside the log ["
                        + result.logStartOffset() + ", " + result.logEndOffset() + "] while loading up to " + to);
            }
            if (!result.hasData()) {
                return next;
            }
            ByteBuffer bytes = readFully(result.slice());
            RecordBatches batches = RecordBatches.of(bytes);
            while (batches.hasNext()) {
                RecordBatch batch = batches.next();
                if (!batch.isCrcValid()) {
                    throw new StorageException(log.topicPartition() + ": batch at offset " + batch.baseOffset()
                            + " failed its CRC: crc=" + batch.crc() + " expected=" + batch.computeCrc());
                }
                if (batch.nextOffset() <= next) {
                    continue;
                }
                if (!batch.isControl()) {
                    for (Record record : batch.records()) {
                        long offset = record.offset();
                        if (offset >= next && offset < to) {
                            visitor.visit(offset, record.key(), record.value());
                        }
                    }
                }
                next = Math.min(batch.nextOffset(), to);
            }
        }
        return next;
    }

    private static ByteBuffer readFully(FileSlice slice) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(slice.length());
        long position = slice.position();
        while (buffer.hasRemaining()) {
            int read = slice.channel().read(buffer, position + buffer.position());
            if (read < 0) {
                throw new EOFException("end of file at position " + (position + buffer.position())
                        + " reading a slice of " + slice.length() + " bytes");
            }
        }
        return buffer.flip();
    }
}
