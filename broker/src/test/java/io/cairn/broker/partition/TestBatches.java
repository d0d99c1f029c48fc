package io.cairn.broker.partition;

import io.cairn.protocol.record.RecordBatchBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds produce batches for data-path tests. */
public final class TestBatches {
    private TestBatches() {
    }

    /** A batch of {@code count} records "value-i" with timestamps {@code timestamp + i}. */
    public static ByteBuffer batch(int count, long timestamp) {
        return idempotent(-1L, (short) -1, -1, count, timestamp);
    }

    /** An idempotent batch. */
    public static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, int count, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        if (producerId >= 0) {
            builder.producer(producerId, epoch, baseSequence);
        }
        for (int i = 0; i < count; i++) {
            builder.append(timestamp + i, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer built = builder.build();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    /** The bytes in a direct buffer, as a produce request's records arrive. */
    public static ByteBuf direct(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuf buf = Unpooled.directBuffer(size);
        for (ByteBuffer b : batches) {
            buf.writeBytes(b.duplicate());
        }
        return buf;
    }

    public static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
