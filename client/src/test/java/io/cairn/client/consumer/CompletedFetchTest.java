package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.CorruptRecordException;
import io.cairn.client.serialization.ByteArrayDeserializer;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordCursor;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CompletedFetchTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final ByteArrayDeserializer BYTES = new ByteArrayDeserializer();

    /** Two batches of {@code perBatch} records each, offsets from {@code base}, value "v<offset>". */
    private static byte[] twoBatches(long base, int perBatch) {
        ByteBuffer first = batch(base, perBatch);
        ByteBuffer second = batch(base + perBatch, perBatch);
        byte[] out = new byte[first.remaining() + second.remaining()];
        first.get(out, 0, first.remaining());
        second.get(out, out.length - second.remaining(), second.remaining());
        return out;
    }

    private static ByteBuffer batch(long base, int records) {
        RecordBatchBuilder b = new RecordBatchBuilder(1024).baseOffset(base);
        for (int i = 0; i < records; i++) {
            b.append(1_000L, null, ("v" + (base + i)).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer built = b.build();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    private static CompletedFetch fetch(ByteBuf records, AtomicInteger buffered) {
        return new CompletedFetch(TP, 0, 0, ErrorCode.NONE, null, 100, 0, records, buffered);
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(r.serializedValueSize()).isEqualTo(r.value().length);
        }
        return out;
    }

    /**
     * The records of a response reach the consumer in buffers of different classes (a slice of a
     * socket read, a pooled or an unpooled frame, a composite); every one reads the same, and reading
     * the end offset first (the network thread does) does not move where take starts.
     */
    @Test
    void takeReadsTheSameRecordsFromEveryKindOfBufferAfterTheEndOffsetWasRead() {
        byte[] bytes = twoBatches(0, 3);
        List<Function<byte[], ByteBuf>> kinds = List.of(
                Unpooled::wrappedBuffer,
                b -> Unpooled.directBuffer(b.length).writeBytes(b),
                b -> {
                    ByteBuf whole = Unpooled.buffer(b.length + 20).writerIndex(10).writeBytes(b).writeZero(10);
                    ByteBuf slice = whole.retainedSlice(10, b.length);
                    whole.release();
                    return slice;
                },
                b -> PooledByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b),
                b -> {
                    CompositeByteBuf c = Unpooled.compositeBuffer();
                    c.addComponent(true, Unpooled.wrappedBuffer(b, 0, 7));
                    c.addComponent(true, Unpooled.wrappedBuffer(b, 7, b.length - 7));
                    return c;
                });
        for (Function<byte[], ByteBuf> kind : kinds) {
            AtomicInteger buffered = new AtomicInteger();
            CompletedFetch f = fetch(kind.apply(bytes), buffered);
            assertThat(buffered).hasValue(1);
            assertThat(f.endOffset()).isEqualTo(6);
            assertThat(f.hasWorkForTake()).isTrue();

            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            RecordCursor cursor = new RecordCursor();
            assertThat(f.take(4, out, cursor, true, BYTES, BYTES)).isEqualTo(4);
            assertThat(f.take(10, out, cursor, true, BYTES, BYTES)).isEqualTo(2);
            assertThat(f.take(10, out, cursor, true, BYTES, BYTES)).isZero();

            assertThat(values(out)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
            assertThat(f.nextOffset()).isEqualTo(6);
            assertThat(f.isDrained()).isTrue();
            assertThat(f.hasWorkForTake()).isFalse();
            f.release();
            assertThat(buffered).hasValue(0);
        }
    }

    @Test
    void aFetchWithoutRecordsLeavesNothingForTake() {
        AtomicInteger buffered = new AtomicInteger();
        CompletedFetch f = fetch(null, buffered);

        assertThat(f.hasWorkForTake()).isFalse();
        assertThat(f.endOffset()).isZero();
        assertThat(buffered).hasValue(0);
        f.release();
        assertThat(buffered).hasValue(0);
    }

    @Test
    void aFailureAfterReturnedRecordsIsWorkForTheNextTake() {
        byte[] bytes = twoBatches(0, 2);
        bytes[bytes.length - 1] ^= 1; // the second batch fails its CRC
        AtomicInteger buffered = new AtomicInteger();
        CompletedFetch f = fetch(Unpooled.wrappedBuffer(bytes), buffered);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        RecordCursor cursor = new RecordCursor();

        assertThat(f.take(10, out, cursor, true, BYTES, BYTES)).isEqualTo(2);
        assertThat(f.hasPendingError()).isTrue();
        assertThat(f.hasWorkForTake()).isTrue();
        assertThatThrownBy(() -> f.take(10, out, cursor, true, BYTES, BYTES))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("t-0");
        assertThat(f.hasWorkForTake()).isFalse();
        f.release();
    }
}
