package io.cairn.protocol.record;

import static io.cairn.protocol.record.TestBatches.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressedBatchTest {

    /** Kafka-compatible framing: each codec's stream starts with its format's magic bytes. */
    @Test
    void compressedRecordsUseKafkasStreamFramings() {
        assertThat(recordsSection(CompressionType.GZIP)).startsWith(0x1F, 0x8B);
        assertThat(recordsSection(CompressionType.SNAPPY))
                .startsWith(bytes(0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1));
        // LZ4 frame: magic 0x184D2204 (little-endian), FLG = version 01 + block independence
        // (0x60: no block/content checksum, no content size), BD = 64 KiB blocks (0x40).
        assertThat(recordsSection(CompressionType.LZ4)).startsWith(0x04, 0x22, 0x4D, 0x18, 0x60, 0x40);
        assertThat(recordsSection(CompressionType.ZSTD)).startsWith(0x28, 0xB5, 0x2F, 0xFD);
    }

    private static byte[] recordsSection(CompressionType type) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(type);
        for (int i = 0; i < 100; i++) {
            builder.append(i, null, "the same value again and again".getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer batch = builder.build();
        RecordBatch flyweight = new RecordBatch(batch, 0);
        assertThat(flyweight.compressionType()).isEqualTo(type);
        assertThat(flyweight.recordsSizeInBytes()).as("compresses").isLessThan(builder.uncompressedRecordsSizeInBytes());
        byte[] out = new byte[flyweight.recordsSizeInBytes()];
        batch.get(flyweight.recordsPosition(), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compressedBatchesRoundTripAndPointIntoTheDecompressionBuffer(CompressionType type) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(type).baseOffset(0);
        for (int i = 0; i < 1000; i++) {
            builder.append(i, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[i % 50],
                    new Header[] {new Header("i", Integer.toString(i).getBytes(StandardCharsets.UTF_8))});
        }
        ByteBuffer built = builder.build();
        // A direct copy exercises the codecs' non-array paths.
        ByteBuffer direct = ByteBuffer.allocateDirect(built.remaining()).put(built.duplicate()).flip();
        for (ByteBuffer buffer : new ByteBuffer[] {built, direct}) {
            RecordBatch batch = new RecordBatch(buffer, 0);
            assertThat(batch.isCrcValid()).isTrue();
            RecordCursor records = batch.records();
            assertThat(records.isDecompressed()).isEqualTo(type != CompressionType.NONE);
            int n = 0;
            for (Record r : records) {
                assertThat(r.offset()).isEqualTo(n);
                assertThat(r.timestamp()).isEqualTo(n);
                assertThat(r.valueLength()).isEqualTo(n % 50);
                assertThat(new String(r.copyKey(), StandardCharsets.UTF_8)).isEqualTo("k" + n);
                if (type != CompressionType.NONE) {
                    assertThat(r.buffer()).isNotSameAs(buffer);
                }
                n++;
            }
            assertThat(n).isEqualTo(1000);
            assertThat(records.remainingBytes()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void emptyCompressedBatchRoundTrips(CompressionType type) {
        ByteBuffer built = new RecordBatchBuilder().compressionType(type).overrideLastOffset(3).build();
        RecordBatch batch = new RecordBatch(built, 0);
        assertThat(batch.isCrcValid()).isTrue();
        assertThat(batch.records().hasNext()).isFalse();
        assertThat(batch.records().remainingBytes()).isZero();
    }

    @Test
    void builderCompressionReusesMemoryAcrossResets() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (CompressionType type : CompressionType.values()) {
            builder.reset().compressionType(type);
            builder.append(5, "key".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8));
            Record r = new RecordBatch(builder.build(), 0).records().next();
            assertThat(r.copyValue()).isEqualTo("value".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Header of the batches an independent Kafka client implementation (sarama) publishes as test vectors. */
    private static byte[] saramaHeader(int batchLength, int crc0, int crc1, int crc2, int crc3, int attributes) {
        return bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, batchLength, 0, 0, 0, 0, 2, crc0, crc1, crc2, crc3, 0, attributes,
                0, 0, 0, 0, 0, 0, 1, 88, 141, 205, 89, 56, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 1);
    }

    private static void assertSaramaRecord(byte[] header, byte[] records) {
        byte[] all = Arrays.copyOf(header, header.length + records.length);
        System.arraycopy(records, 0, all, header.length, records.length);
        RecordBatch batch = new RecordBatch(ByteBuffer.wrap(all), 0);
        assertThat(batch.isCrcValid()).isTrue();
        Record r = batch.records().next();
        assertThat(r.timestamp()).isEqualTo(1479847795005L);
        assertThat(r.copyKey()).containsExactly(1, 2, 3, 4);
        assertThat(r.copyValue()).containsExactly(5, 6, 7);
        HeaderCursor h = r.headers();
        assertThat(h.next()).isTrue();
        assertThat(h.copyValue()).containsExactly(11, 12);
        // sarama's vectors leave maxTimestamp at 0, so validate without that check.
        RecordBatchValidator validator = new RecordBatchValidator(1 << 20, 1 << 20, false);
        assertThat(validator.validateProduce(ByteBuffer.wrap(all), 0, all.length).recordCount()).isEqualTo(1);
    }

    @Test
    void readsGzipBatchWrittenByAnotherClient() {
        assertSaramaRecord(saramaHeader(95, 231, 74, 206, 165, 1), bytes(
                31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 0, 21, 0, 234, 255, 40, 0, 10, 0, 8, 1, 2,
                3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 3, 0, 173, 201, 88, 103, 21, 0, 0, 0));
    }

    @Test
    void readsRawSnappyBatchWrittenByAnotherClient() {
        assertSaramaRecord(saramaHeader(72, 21, 0, 159, 97, 2), bytes(
                21, 80, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12));
    }

    @Test
    void readsLz4FrameWithContentChecksumWrittenByAnotherClient() {
        assertSaramaRecord(saramaHeader(89, 169, 74, 119, 197, 3), bytes(
                4, 34, 77, 24, 100, 112, 185, 21, 0, 0, 128, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2,
                6, 8, 9, 10, 4, 11, 12, 0, 0, 0, 0, 12, 59, 239, 146));
    }
}
