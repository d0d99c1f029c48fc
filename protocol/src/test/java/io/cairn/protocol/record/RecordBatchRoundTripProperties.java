package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Property tests: random records (null, empty and random keys and values, headers with null
 * values, unordered timestamps) survive build → validate → iterate unchanged, for every codec,
 * and a cleaner-style rewrite keeps offsets.
 */
class RecordBatchRoundTripProperties {

    /** What a test record should read back as. */
    record Model(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    }

    private final RecordBatchBuilder builder = new RecordBatchBuilder(256);
    private final RecordBatchValidator validator = new RecordBatchValidator(64 << 20, 64 << 20);

    @Property(tries = 60)
    void uncompressedRoundTrip(@ForAll("records") @Size(min = 1, max = 40) List<Model> records) {
        roundTrip(CompressionType.NONE, records);
    }

    @Property(tries = 60)
    void gzipRoundTrip(@ForAll("records") @Size(min = 1, max = 40) List<Model> records) {
        roundTrip(CompressionType.GZIP, records);
    }

    @Property(tries = 60)
    void snappyRoundTrip(@ForAll("records") @Size(min = 1, max = 40) List<Model> records) {
        roundTrip(CompressionType.SNAPPY, records);
    }

    @Property(tries = 60)
    void lz4RoundTrip(@ForAll("records") @Size(min = 1, max = 40) List<Model> records) {
        roundTrip(CompressionType.LZ4, records);
    }

    @Property(tries = 60)
    void zstdRoundTrip(@ForAll("records") @Size(min = 1, max = 40) List<Model> records) {
        roundTrip(CompressionType.ZSTD, records);
    }

    private void roundTrip(CompressionType type, List<Model> records) {
        builder.reset().compressionType(type).producer(5, (short) 1, 0);
        long maxTimestamp = Long.MIN_VALUE;
        for (Model m : records) {
            builder.append(m.timestamp(), m.key(), m.value(), m.headers().toArray(new Header[0]));
            maxTimestamp = Math.max(maxTimestamp, m.timestamp());
        }
        ByteBuffer built = builder.build();
        if (type == CompressionType.NONE) {
            assertThat(built.remaining()).isEqualTo(builder.estimatedSizeInBytes());
        }

        ValidationSummary summary = validator.validateProduce(built, 0, built.limit());
        assertThat(summary.recordCount()).isEqualTo(records.size());
        assertThat(summary.batchMaxTimestamp(0)).isEqualTo(maxTimestamp);

        RecordBatch batch = new RecordBatch(built, 0);
        assertThat(batch.compressionType()).isEqualTo(type);
        assertThat(batch.maxTimestamp()).isEqualTo(maxTimestamp);
        assertThat(batch.baseTimestamp()).isEqualTo(records.get(0).timestamp());
        int i = 0;
        for (Record r : batch.records()) {
            assertSame(r, i, records.get(i));
            i++;
        }
        assertThat(i).isEqualTo(records.size());
    }

    private static void assertSame(Record r, int index, Model m) {
        assertThat(r.offset()).isEqualTo(index);
        assertThat(r.timestamp()).isEqualTo(m.timestamp());
        assertThat(r.copyKey()).isEqualTo(m.key());
        assertThat(r.copyValue()).isEqualTo(m.value());
        List<Header> headers = new ArrayList<>();
        HeaderCursor h = r.headers();
        while (h.next()) {
            headers.add(h.toHeader());
        }
        assertThat(headers).isEqualTo(m.headers());
    }

    @Property(tries = 60)
    void cleanerRewriteKeepsOffsetsAndRecords(@ForAll("records") @Size(min = 1, max = 30) List<Model> records,
                                              @ForAll("keepMasks") List<Boolean> keep,
                                              @ForAll CompressionType sourceType,
                                              @ForAll CompressionType targetType) {
        builder.reset().compressionType(sourceType).baseOffset(1_000);
        for (Model m : records) {
            builder.append(m.timestamp(), m.key(), m.value(), m.headers().toArray(new Header[0]));
        }
        ByteBuffer source = TestBatches.copy(builder.build());
        RecordBatch original = new RecordBatch(source, 0);

        RecordBatchBuilder cleaned = new RecordBatchBuilder(64).compressionType(targetType)
                .baseOffset(original.baseOffset()).overrideLastOffset(original.lastOffset());
        List<Integer> kept = new ArrayList<>();
        for (Record r : original.records()) {
            int idx = (int) (r.offset() - 1_000);
            if (keep.get(idx % keep.size())) {
                cleaned.appendWithOffset(r);
                kept.add(idx);
            }
        }
        ByteBuffer out = cleaned.build();
        ValidationSummary summary = validator.validateStored(out, 0, out.limit());
        assertThat(summary.recordCount()).isEqualTo(kept.size());
        RecordBatch batch = new RecordBatch(out, 0);
        assertThat(batch.baseOffset()).isEqualTo(1_000);
        assertThat(batch.lastOffset()).isEqualTo(1_000 + records.size() - 1);
        int i = 0;
        for (Record r : batch.records()) {
            int idx = kept.get(i++);
            assertThat(r.offset()).isEqualTo(1_000 + idx);
            Model m = records.get(idx);
            assertThat(r.timestamp()).isEqualTo(m.timestamp());
            assertThat(r.copyKey()).isEqualTo(m.key());
            assertThat(r.copyValue()).isEqualTo(m.value());
            assertThat(r.headerCount()).isEqualTo(m.headers().size());
        }
        assertThat(i).isEqualTo(kept.size());
    }

    @Provide
    Arbitrary<List<Boolean>> keepMasks() {
        return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Model>> records() {
        return model().list();
    }

    private static Arbitrary<byte[]> nullableBytes(int maxSize) {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((byte[]) null)),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(6, bytes));
    }

    private static Arbitrary<Model> model() {
        // Timestamps around "now", in any order (negative deltas), plus the odd far-off one.
        Arbitrary<Long> timestamps = Arbitraries.oneOf(
                Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L),
                Arbitraries.longs().between(0, 1L << 50));
        // Header keys are UTF-8 strings: letters, digits and a few multi-byte characters.
        Arbitrary<String> headerKeys = Arbitraries.strings().alpha().numeric().withChars("-_.üé€ж").ofMaxLength(12);
        Arbitrary<Header> header = Combinators.combine(headerKeys, nullableBytes(16)).as(Header::new);
        // Mostly small values, now and then one that spans several compression blocks.
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                Tuple.of(30, nullableBytes(300)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(100_000)));
        return Combinators.combine(timestamps, nullableBytes(40), values, header.list().ofMaxSize(3)).as(Model::new);
    }
}
