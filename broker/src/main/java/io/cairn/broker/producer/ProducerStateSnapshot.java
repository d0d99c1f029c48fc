package io.cairn.broker.producer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Producer state of one partition as of a log offset, and its stored form. A restart loads the
 * snapshot and replays only the batch headers from {@link #logOffset} to the log end.
 *
 * <pre>
 * snapshot := version:i16(=1) logOffset:i64 producerCount:i32 producer*
 * producer := producerId:i64 epoch:i16 lastUpdateMs:i64 batchCount:i8 batch*
 * batch    := firstSeq:i32 lastSeq:i32 firstOffset:i64 lastOffset:i64 appendTimeMs:i64
 * </pre>
 *
 * @param logOffset the log end offset the state reflects: every batch below it is included
 * @param producers the producers' entries
 */
public record ProducerStateSnapshot(long logOffset, List<Producer> producers) {
    public static final short VERSION = 1;
    static final int HEADER_SIZE = 2 + 8 + 4;
    static final int PRODUCER_HEADER_SIZE = 8 + 2 + 8 + 1;
    static final int BATCH_SIZE = 4 + 4 + 8 + 8 + 8;

    public ProducerStateSnapshot {
        producers = List.copyOf(producers);
    }

    /** One producer's entry. */
    public record Producer(long producerId, short epoch, long lastUpdateMs, List<BatchMetadata> batches) {
        public Producer {
            batches = List.copyOf(batches);
            if (batches.size() > ProducerStateEntry.MAX_REMEMBERED_BATCHES) {
                throw new IllegalArgumentException("producer " + producerId + " has " + batches.size()
                        + " batches, at most " + ProducerStateEntry.MAX_REMEMBERED_BATCHES + " are kept");
            }
        }
    }

    public byte[] encode() {
        int size = HEADER_SIZE;
        for (Producer p : producers) {
            size += PRODUCER_HEADER_SIZE + p.batches().size() * BATCH_SIZE;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort(VERSION).putLong(logOffset).putInt(producers.size());
        for (Producer p : producers) {
            out.putLong(p.producerId()).putShort(p.epoch()).putLong(p.lastUpdateMs()).put((byte) p.batches().size());
            for (BatchMetadata b : p.batches()) {
                out.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset()).putLong(b.lastOffset())
                        .putLong(b.appendTimeMs());
            }
        }
        return out.array();
    }

    /** Decodes a stored snapshot; throws {@link IllegalStateException} naming {@code what} if it is damaged. */
    public static ProducerStateSnapshot decode(byte[] bytes, String what) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            short version = in.getShort();
            if (version != VERSION) {
                throw new IllegalStateException("producer state snapshot of " + what + ": version=" + version
                        + " expected=" + VERSION);
            }
            long logOffset = in.getLong();
            int count = in.getInt();
            if (count < 0 || (long) count * PRODUCER_HEADER_SIZE > in.remaining()) {
                throw new IllegalStateException("producer state snapshot of " + what + ": producerCount=" + count
                        + " does not fit in " + in.remaining() + " bytes");
            }
            List<Producer> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long producerId = in.getLong();
                short epoch = in.getShort();
                long lastUpdateMs = in.getLong();
                int batchCount = in.get();
                if (batchCount < 0 || batchCount > ProducerStateEntry.MAX_REMEMBERED_BATCHES) {
                    throw new IllegalStateException("producer state snapshot of " + what + ": producer " + producerId
                            + " batchCount=" + batchCount + " limit=" + ProducerStateEntry.MAX_REMEMBERED_BATCHES);
                }
                List<BatchMetadata> batches = new ArrayList<>(batchCount);
                for (int b = 0; b < batchCount; b++) {
                    batches.add(new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong()));
                }
                producers.add(new Producer(producerId, epoch, lastUpdateMs, batches));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException("producer state snapshot of " + what + ": " + in.remaining()
                        + " trailing bytes at position " + in.position());
            }
            return new ProducerStateSnapshot(logOffset, producers);
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("producer state snapshot of " + what + " is truncated at " + bytes.length
                    + " bytes", e);
        }
    }
}
