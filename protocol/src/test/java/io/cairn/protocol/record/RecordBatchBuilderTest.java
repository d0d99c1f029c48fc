package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void producerBatchCarriesEverySetting() {
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .baseOffset(0)
                .producer(42L, (short) 3, 17)
                .partitionLeaderEpoch(5)
                .transactional(true)
                .timestampType(TimestampType.CREATE_TIME);
        assertThat(builder.append(100, bytes("a"), bytes("1"))).isZero();
        assertThat(builder.append(300, bytes("b"), bytes("2"))).isEqualTo(1);
        assertThat(builder.append(200, bytes("c"), bytes("3"))).isEqualTo(2);
        ByteBuffer buffer = builder.build();

        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(buffer.remaining());
        RecordBatch batch = new RecordBatch(buffer, 0);
        assertThat(batch.sizeInBytes()).isEqualTo(buffer.limit());
        assertThat(batch.magic()).isEqualTo(RecordBatchDescriptor.MAGIC_V2);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(17);
        assertThat(batch.lastSequence()).isEqualTo(19);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(5);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControl()).isFalse();
        assertThat(batch.recordCount()).isEqualTo(3);
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.baseTimestamp()).isEqualTo(100);
        assertThat(batch.maxTimestamp()).isEqualTo(300);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
    }

    @Test
    void defaultsAreThoseOfAPlainNonIdempotentBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("v"));
        RecordBatch batch = new RecordBatch(builder.build(), 0);
        assertThat(batch.producerId()).isEqualTo(RecordBatchDescriptor.NO_PRODUCER_ID);
        assertThat(batch.producerEpoch()).isEqualTo(RecordBatchDescriptor.NO_PRODUCER_EPOCH);
        assertThat(batch.baseSequence()).isEqualTo(RecordBatchDescriptor.NO_SEQUENCE);
        assertThat(batch.lastSequence()).isEqualTo(RecordBatchDescriptor.NO_SEQUENCE);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH);
        assertThat(batch.attributes()).isZero();
    }

    @Test
    void controlAndLogAppendTimeBitsAreWritten() {
        RecordBatchBuilder builder = new RecordBatchBuilder().control(true).timestampType(TimestampType.LOG_APPEND_TIME);
        builder.append(1, bytes("k"), bytes("v"));
        RecordBatch batch = new RecordBatch(builder.build(), 0);
        assertThat(batch.isControl()).isTrue();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void cleanerKeepsOriginalOffsetsAndLastOffset() {
        RecordBatchBuilder original = new RecordBatchBuilder().baseOffset(1000).producer(7, (short) 1, 50);
        for (int i = 0; i < 6; i++) {
            original.append(10 + i, bytes("key-" + (i % 3)), bytes("value-" + i), new Header[] {new Header("h", bytes("" + i))});
        }
        RecordBatch source = new RecordBatch(original.build(), 0);

        // Keep only the newest record per key (offsets 1003, 1004, 1005) but drop 1005's key too,
        // so the kept set ends before the batch does.
        RecordBatchBuilder cleaned = new RecordBatchBuilder()
                .baseOffset(source.baseOffset())
                .producer(source.producerId(), source.producerEpoch(), source.baseSequence())
                .overrideLastOffset(source.lastOffset());
        for (Record r : source.records()) {
            if (r.offset() == 1003 || r.offset() == 1004) {
                cleaned.appendWithOffset(r);
            }
        }
        RecordBatch batch = new RecordBatch(cleaned.build(), 0);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.baseOffset()).isEqualTo(1000);
        assertThat(batch.lastOffset()).isEqualTo(1005);
        assertThat(batch.lastOffsetDelta()).isEqualTo(5);
        assertThat(batch.recordCount()).isEqualTo(2);
        assertThat(batch.baseTimestamp()).isEqualTo(13);
        assertThat(batch.maxTimestamp()).isEqualTo(14);

        List<String> kept = new ArrayList<>();
        for (Record r : batch.records()) {
            HeaderCursor h = r.headers();
            h.next();
            kept.add(r.offset() + ":" + r.offsetDelta() + ":" + r.timestamp() + ":" + new String(r.copyKey(), StandardCharsets.UTF_8)
                    + ":" + new String(r.copyValue(), StandardCharsets.UTF_8) + ":" + h.key() + "=" + new String(h.copyValue(), StandardCharsets.UTF_8));
        }
        assertThat(kept).containsExactly("1003:3:13:key-0:value-3:h=3", "1004:4:14:key-1:value-4:h=4");
    }

    @Test
    void appendWithOffsetAcceptsGapsAndAppendContinuesAfterThem() {
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(10);
        builder.appendWithOffset(12, 1, (ByteBuffer) null, ByteBuffer.wrap(bytes("a")), null);
        assertThat(builder.nextOffset()).isEqualTo(13);
        assertThat(builder.append(2, null, bytes("b"))).isEqualTo(13);
        RecordBatch batch = new RecordBatch(builder.build(), 0);
        assertThat(batch.lastOffsetDelta()).isEqualTo(3);
        List<Integer> deltas = new ArrayList<>();
        batch.records().forEachRemaining(r -> deltas.add(r.offsetDelta()));
        assertThat(deltas).containsExactly(2, 3);
    }

    @Test
    void refusesOffsetsThatDoNotIncrease() {
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(10);
        builder.appendWithOffset(11, 1, null, bytes("a"), null);
        assertThatThrownBy(() -> builder.appendWithOffset(11, 1, null, bytes("b"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset=11");
        assertThatThrownBy(() -> builder.appendWithOffset(9, 1, null, bytes("b"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base offset=10");
        assertThatThrownBy(() -> builder.overrideLastOffset(10).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("last offset=10");
    }

    @Test
    void anEmptyBatchNeedsAnExplicitLastOffset() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        assertThat(builder.build().remaining()).as("nothing to write").isZero();

        builder.reset().baseOffset(500).producer(9, (short) 2, 30).overrideLastOffset(504);
        RecordBatch empty = new RecordBatch(builder.build(), 0);
        assertThat(empty.sizeInBytes()).isEqualTo(RecordBatchDescriptor.HEADER_SIZE);
        assertThat(empty.recordCount()).isZero();
        assertThat(empty.lastOffset()).isEqualTo(504);
        assertThat(empty.lastSequence()).isEqualTo(34);
        assertThat(empty.baseTimestamp()).isEqualTo(RecordBatchDescriptor.NO_TIMESTAMP);
        assertThat(empty.isCrcValid()).isTrue();
        assertThat(empty.records().hasNext()).isFalse();
    }

    @Test
    void resetStartsAFreshBatchInTheSameMemory() {
        RecordBatchBuilder builder = new RecordBatchBuilder(64);
        builder.producer(1, (short) 1, 1).transactional(true);
        for (int i = 0; i < 100; i++) {
            builder.append(i, bytes("key" + i), new byte[100]);
        }
        assertThat(new RecordBatch(builder.build(), 0).recordCount()).isEqualTo(100);

        builder.reset();
        builder.append(5, bytes("k"), bytes("v"));
        RecordBatch batch = new RecordBatch(builder.build(), 0);
        assertThat(batch.recordCount()).isEqualTo(1);
        assertThat(batch.isTransactional()).isFalse();
        assertThat(batch.producerId()).isEqualTo(-1);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.records().next().copyKey()).isEqualTo(bytes("k"));
    }

    @Test
    void buildIsFinalUntilReset() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("v"));
        ByteBuffer first = builder.build();
        ByteBuffer second = builder.build();
        assertThat(second).isEqualTo(first);
        assertThatThrownBy(() -> builder.append(2, null, bytes("w"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reset()");
        assertThatThrownBy(() -> builder.compressionType(CompressionType.GZIP)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsThatShapeRecordsAreFixedOnceRecordsExist() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, null, bytes("v"));
        assertThatThrownBy(() -> builder.baseOffset(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("base offset");
        assertThatThrownBy(() -> builder.compressionType(CompressionType.LZ4)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void byteBufferKeysAndValuesAreCopiedFromPositionToLimitWithoutMovingThem() {
        ByteBuffer key = ByteBuffer.wrap(bytes("xxKEYxx")).position(2).limit(5);
        ByteBuffer value = ByteBuffer.allocateDirect(8).put(bytes("--VALUE-")).position(2).limit(7);
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.append(1, key, value, null);
        assertThat(key.position()).isEqualTo(2);
        assertThat(value.position()).isEqualTo(2);
        Record r = new RecordBatch(builder.build(), 0).records().next();
        assertThat(r.copyKey()).isEqualTo(bytes("KEY"));
        assertThat(r.copyValue()).isEqualTo(bytes("VALUE"));
    }

    @Test
    void uncompressedSizeEstimateIsExact() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        assertThat(builder.estimatedSizeInBytes()).isEqualTo(RecordBatchDescriptor.HEADER_SIZE);
        for (int i = 0; i < 50; i++) {
            builder.append(1_000_000L + i * 1000, bytes("key-" + i), new byte[i * 3],
                    new Header[] {new Header("n", bytes(Integer.toString(i)))});
            assertThat(builder.estimatedSizeInBytes()).isEqualTo(builder.uncompressedRecordsSizeInBytes()
                    + RecordBatchDescriptor.HEADER_SIZE);
        }
        int estimate = builder.estimatedSizeInBytes();
        assertThat(builder.build().remaining()).isEqualTo(estimate);
    }

    @Test
    void hasRoomForStopsAtTheLimitButAlwaysTakesAFirstRecord() {
        int limit = 1024;
        RecordBatchBuilder builder = new RecordBatchBuilder();
        byte[] big = new byte[4096];
        assertThat(builder.hasRoomFor(1, null, big, null, limit)).as("first record always fits").isTrue();

        byte[] value = new byte[100];
        while (builder.hasRoomFor(1, bytes("k"), value, null, limit)) {
            builder.append(1, bytes("k"), value);
        }
        int size = builder.build().remaining();
        assertThat(size).isLessThanOrEqualTo(limit);
        assertThat(size + 100).as("one more record would not fit").isGreaterThan(limit);
        assertThat(builder.hasRoomFor(1, bytes("k"), value, null, Integer.MAX_VALUE)).as("built").isFalse();
    }
}
