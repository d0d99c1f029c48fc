package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    private static ByteBuffer threeBatches() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        ByteBuffer all = ByteBuffer.allocate(4096);
        for (int b = 0; b < 3; b++) {
            builder.reset().baseOffset(b * 10L);
            for (int r = 0; r <= b; r++) {
                builder.append(1000 + r, new byte[] {(byte) b}, new byte[r * 7]);
            }
            all.put(builder.build());
        }
        all.flip();
        return all;
    }

    @Test
    void walksBackToBackBatchesWithOneFlyweight() {
        ByteBuffer buffer = threeBatches();
        RecordBatches batches = RecordBatches.of(buffer);
        List<Long> baseOffsets = new ArrayList<>();
        RecordBatch first = null;
        for (RecordBatch batch : batches) {
            if (first == null) {
                first = batch;
            }
            assertThat(batch).isSameAs(first);
            assertThat(batch.isCrcValid()).isTrue();
            baseOffsets.add(batch.baseOffset());
            assertThat(batch.recordCount()).isEqualTo(baseOffsets.size());
        }
        assertThat(baseOffsets).containsExactly(0L, 10L, 20L);
        assertThat(batches.position()).isEqualTo(buffer.limit());
        assertThat(batches.remaining()).isZero();
        assertThat(batches.count()).isEqualTo(3);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void stopsCleanlyAtAPartialTrailingBatch() {
        ByteBuffer buffer = threeBatches();
        int total = buffer.limit();
        int lastStart = total - RecordBatch.sizeInBytes(lastBatch(buffer), 0);
        for (int cut = lastStart; cut < total; cut++) {
            RecordBatches batches = new RecordBatches().reset(buffer, 0, cut);
            int n = 0;
            while (batches.hasNext()) {
                batches.next();
                n++;
            }
            assertThat(n).as("cut at %d", cut).isEqualTo(2);
            assertThat(batches.position()).isEqualTo(lastStart);
            assertThat(batches.remaining()).isEqualTo(cut - lastStart);
        }
    }

    private static ByteBuffer lastBatch(ByteBuffer buffer) {
        RecordBatches batches = RecordBatches.of(buffer);
        int start = 0;
        while (batches.hasNext()) {
            start = batches.position();
            batches.next();
        }
        return buffer.duplicate().position(start).slice();
    }

    @Test
    void anImpossibleLengthIsCorruptionNotAnEndlessLoop() {
        ByteBuffer buffer = threeBatches();
        buffer.putInt(RecordBatchDescriptor.LENGTH_OFFSET, -12);
        RecordBatches batches = RecordBatches.of(buffer);
        assertThatThrownBy(batches::hasNext)
                .isInstanceOfSatisfying(InvalidRecordBatchException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRecordBatchException.Reason.BATCH_LENGTH_TOO_SMALL))
                .hasMessageContaining("position=0");
    }

    @Test
    void iteratesARangeInsideALargerBuffer() {
        ByteBuffer buffer = threeBatches();
        int secondStart = RecordBatch.sizeInBytes(buffer, 0);
        int secondSize = RecordBatch.sizeInBytes(buffer, secondStart);
        RecordBatches batches = new RecordBatches().reset(buffer, secondStart, secondStart + secondSize);
        assertThat(batches.next().baseOffset()).isEqualTo(10L);
        assertThat(batches.hasNext()).isFalse();
    }
}
