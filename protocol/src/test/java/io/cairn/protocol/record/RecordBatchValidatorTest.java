package io.cairn.protocol.record;

import static io.cairn.protocol.record.TestBatches.bytes;
import static io.cairn.protocol.record.TestBatches.concat;
import static io.cairn.protocol.record.TestBatches.fixCrc;
import static io.cairn.protocol.record.TestBatches.rawBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.record.InvalidRecordBatchException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchValidatorTest {
    private static final int MAX_BATCH = 1024 * 1024;
    private static final int MAX_DECOMPRESSED = 1024 * 1024;

    private final RecordBatchValidator validator = new RecordBatchValidator(MAX_BATCH, MAX_DECOMPRESSED);

    private static ByteBuffer producerBatch(int records) {
        return producerBatch(records, CompressionType.NONE);
    }

    private static ByteBuffer producerBatch(int records, CompressionType compression) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(compression).producer(77, (short) 2, 100);
        for (int i = 0; i < records; i++) {
            builder.append(1_000 + i, ("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[i + 1],
                    new Header[] {new Header("h", null)});
        }
        return TestBatches.copy(builder.build());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ByteBuffer buffer, Reason reason) {
        return assertRejected(buffer, reason, true);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ByteBuffer buffer, Reason reason, boolean producer) {
        return assertThatThrownBy(() -> {
            if (producer) {
                validator.validateProduce(buffer, 0, buffer.limit());
            } else {
                validator.validateStored(buffer, 0, buffer.limit());
            }
        }).isInstanceOfSatisfying(InvalidRecordBatchException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /**
     * One minimal trigger per reason, run against one validator: proves every reason is reachable
     * and that each trigger is reported with its own reason rather than an earlier, broader one.
     * (The tests below look at each case in more detail.)
     */
    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonHasItsOwnTrigger(Reason reason) {
        RecordBatchValidator checker = reason == Reason.BATCH_TOO_LARGE ? new RecordBatchValidator(200, MAX_DECOMPRESSED) : validator;
        ByteBuffer buffer = switch (reason) {
            case TRAILING_BYTES -> concat(producerBatch(1), ByteBuffer.wrap(bytes(1, 2, 3)));
            case TRUNCATED_BATCH -> producerBatch(2).limit(70);
            case BATCH_LENGTH_TOO_SMALL -> withInt(producerBatch(1), RecordBatchDescriptor.LENGTH_OFFSET, 10, false);
            case BATCH_TOO_LARGE -> producerBatch(30);
            case INVALID_MAGIC -> { ByteBuffer b = producerBatch(1); b.put(RecordBatchDescriptor.MAGIC_OFFSET, (byte) 0); yield b; }
            case CRC_MISMATCH -> withInt(producerBatch(1), RecordBatchDescriptor.CRC_OFFSET, 0, false);
            case UNKNOWN_COMPRESSION -> rawBatch(7, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 1, 0));
            case DECOMPRESSION_FAILED -> rawBatch(CompressionType.ZSTD.id(), 1, 0, 0, bytes(1, 2, 3, 4, 5, 6, 7, 8));
            case DECOMPRESSED_TOO_LARGE -> rawBatch(CompressionType.GZIP.id(), 1, 0, 0, gzipOfZeros(2 * MAX_DECOMPRESSED));
            case INVALID_RECORD_COUNT -> withInt(producerBatch(1), RecordBatchDescriptor.RECORDS_COUNT_OFFSET, -1, true);
            case RECORD_COUNT_MISMATCH -> withInt(producerBatch(1), RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 2, true);
            case EMPTY_BATCH -> rawBatch(0, 0, 0, 0, new byte[0]);
            case INVALID_OFFSET_DELTA -> rawBatch(0, 1, 1, 0, bytes(0x0C, 0, 0, 2, 1, 1, 0));
            case LAST_OFFSET_DELTA_MISMATCH -> rawBatch(0, 1, 1, 0, bytes(0x0C, 0, 0, 0, 1, 1, 0));
            case MAX_TIMESTAMP_MISMATCH -> rawBatch(0, 1, 0, 5, bytes(0x0C, 0, 0, 0, 1, 1, 0));
            case RECORD_LENGTH_MISMATCH -> rawBatch(0, 1, 0, 0, bytes(0x0E, 0, 0, 0, 1, 1, 0, 0));
            case MALFORMED_VARINT -> rawBatch(0, 1, 0, 0, bytes(0x14, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 1, 0));
            case INVALID_KEY_LENGTH -> rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 3, 1, 0));
            case INVALID_VALUE_LENGTH -> rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 3, 0));
            case INVALID_HEADER_COUNT -> rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 1, 1));
            case INVALID_HEADER_KEY_LENGTH -> rawBatch(0, 1, 0, 0, bytes(0x10, 0, 0, 0, 1, 1, 2, 1, 1));
            case INVALID_HEADER_VALUE_LENGTH -> rawBatch(0, 1, 0, 0, bytes(0x10, 0, 0, 0, 1, 1, 2, 0, 3));
        };
        assertThatThrownBy(() -> checker.validateProduce(buffer, 0, buffer.limit()))
                .isInstanceOfSatisfying(InvalidRecordBatchException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(reason == Reason.TRAILING_BYTES ? "batch 1 at position=" : "batch 0");
    }

    private static ByteBuffer withInt(ByteBuffer buffer, int field, int value, boolean fixCrc) {
        buffer.putInt(field, value);
        if (fixCrc) {
            fixCrc(buffer, 0);
        }
        return buffer;
    }

    private static byte[] gzipOfZeros(int size) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(new byte[size]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    @Test
    void acceptsWellFormedBatchesAndSummarisesThem() {
        ByteBuffer first = producerBatch(3);
        ByteBuffer second = producerBatch(5, CompressionType.GZIP);
        ByteBuffer all = concat(first, second);

        ValidationSummary summary = validator.validateProduce(all, 0, all.limit());
        assertThat(summary.batchCount()).isEqualTo(2);
        assertThat(summary.recordCount()).isEqualTo(8);
        assertThat(summary.offsetCount()).isEqualTo(8);
        assertThat(summary.sizeInBytes()).isEqualTo(all.limit());
        assertThat(summary.firstProducerId()).isEqualTo(77);
        assertThat(summary.firstProducerEpoch()).isEqualTo((short) 2);
        assertThat(summary.firstBaseSequence()).isEqualTo(100);
        assertThat(summary.anyCompressed()).isTrue();
        assertThat(summary.batchPosition(0)).isZero();
        assertThat(summary.batchPosition(1)).isEqualTo(first.limit());
        assertThat(summary.batchSizeInBytes(1)).isEqualTo(second.limit());
        assertThat(summary.batchRecordCount(1)).isEqualTo(5);
        assertThat(summary.batchLastOffsetDelta(0)).isEqualTo(2);
        assertThat(summary.batchLastOffsetDelta(1)).isEqualTo(4);
        assertThat(summary.batchMaxTimestamp(0)).isEqualTo(1_002);
        assertThat(summary.batchMaxTimestampOffsetDelta(1)).isEqualTo(4);
        assertThat(summary.maxTimestamp()).isEqualTo(1_004);
        assertThatThrownBy(() -> summary.batchPosition(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(all.position()).isZero();

        // What the broker does next: assign offsets in place, leaving the CRC valid.
        RecordBatch batch = new RecordBatch();
        long next = 500;
        for (int i = 0; i < summary.batchCount(); i++) {
            batch.wrap(all, summary.batchPosition(i)).setBaseOffset(next);
            next += summary.batchLastOffsetDelta(i) + 1;
        }
        assertThat(next).isEqualTo(508);
        assertThat(validator.validateProduce(all, 0, all.limit()).batchCount()).isEqualTo(2);
    }

    @Test
    void anEmptyRangeHasNoBatches() {
        assertThat(validator.validateProduce(ByteBuffer.allocate(0), 0, 0).batchCount()).isZero();
    }

    @Test
    void flippedCrcByte() {
        ByteBuffer buffer = producerBatch(3);
        buffer.put(RecordBatchDescriptor.CRC_OFFSET + 2, (byte) (buffer.get(RecordBatchDescriptor.CRC_OFFSET + 2) ^ 0x40));
        assertRejected(buffer, Reason.CRC_MISMATCH).hasMessageContaining("batch 0 at position=0").hasMessageContaining("crc=0x")
                .hasMessageContaining("expected=0x");
    }

    @Test
    void flippedRecordByteFailsTheCrc() {
        ByteBuffer buffer = producerBatch(3);
        int last = buffer.limit() - 1;
        buffer.put(last, (byte) (buffer.get(last) ^ 1));
        assertRejected(buffer, Reason.CRC_MISMATCH);
    }

    @Test
    void wrongMagic() {
        ByteBuffer buffer = producerBatch(1);
        buffer.put(RecordBatchDescriptor.MAGIC_OFFSET, (byte) 1);
        assertRejected(buffer, Reason.INVALID_MAGIC).hasMessageContaining("magic=1 expected 2");
    }

    @Test
    void recordCountTooHigh() {
        ByteBuffer buffer = producerBatch(3);
        buffer.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 4);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.RECORD_COUNT_MISMATCH).hasMessageContaining("recordCount=4")
                .hasMessageContaining("after 3 records");
    }

    @Test
    void recordCountTooLow() {
        ByteBuffer buffer = producerBatch(3);
        buffer.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 2);
        buffer.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, 1);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.RECORD_COUNT_MISMATCH).hasMessageContaining("bytes remain after recordCount=2");
    }

    @Test
    void negativeRecordCount() {
        ByteBuffer buffer = producerBatch(1);
        buffer.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, -5);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.INVALID_RECORD_COUNT).hasMessageContaining("recordCount=-5");
    }

    @Test
    void emptyProducerBatch() {
        ByteBuffer buffer = new RecordBatchBuilder().overrideLastOffset(0).build();
        assertRejected(buffer, Reason.EMPTY_BATCH);
        // The cleaner may leave empty batches in a log.
        assertThat(validator.validateStored(buffer, 0, buffer.limit()).recordCount()).isZero();
    }

    /** Rewrites the offset delta of record {@code index} (a one-byte varint in these batches). */
    private static void setOffsetDelta(ByteBuffer buffer, int index, int delta) {
        RecordCursor records = new RecordBatch(buffer, 0).records();
        Record record = null;
        for (int i = 0; i <= index; i++) {
            record = records.next();
        }
        int at = record.position() + ByteUtils.sizeOfVarint(record.sizeInBytes() - 1) + 1
                + ByteUtils.sizeOfVarlong(record.timestampDelta());
        assertThat(ByteUtils.sizeOfVarint(delta)).isEqualTo(ByteUtils.sizeOfVarint(record.offsetDelta()));
        buffer.put(at, (byte) ByteUtils.zigZagEncode(delta));
        fixCrc(buffer, 0);
    }

    @Test
    void offsetDeltasGoingBackwards() {
        ByteBuffer buffer = producerBatch(3);
        setOffsetDelta(buffer, 2, 1);
        assertRejected(buffer, Reason.INVALID_OFFSET_DELTA).hasMessageContaining("record 2 offsetDelta=1 expected 2");
        assertRejected(buffer, Reason.INVALID_OFFSET_DELTA, false).hasMessageContaining("expected > 1");
    }

    @Test
    void offsetDeltasNotStartingAtZero() {
        ByteBuffer buffer = producerBatch(3);
        setOffsetDelta(buffer, 0, 1);
        assertRejected(buffer, Reason.INVALID_OFFSET_DELTA).hasMessageContaining("record 0 offsetDelta=1 expected 0");
    }

    @Test
    void gapsAreForCleanedBatchesOnly() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        builder.appendWithOffset(0, 5, null, new byte[] {1}, null);
        builder.appendWithOffset(3, 5, null, new byte[] {2}, null);
        builder.overrideLastOffset(6);
        ByteBuffer buffer = builder.build();
        assertRejected(buffer, Reason.INVALID_OFFSET_DELTA).hasMessageContaining("offsetDelta=3 expected 1");
        ValidationSummary summary = validator.validateStored(buffer, 0, buffer.limit());
        assertThat(summary.batchLastOffsetDelta(0)).isEqualTo(6);
        assertThat(summary.offsetCount()).isEqualTo(7);
    }

    @Test
    void lastOffsetDeltaDisagreeingWithTheRecords() {
        ByteBuffer buffer = producerBatch(3);
        buffer.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, 5);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.LAST_OFFSET_DELTA_MISMATCH).hasMessageContaining("lastOffsetDelta=5 expected 2");

        buffer.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, 1);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.LAST_OFFSET_DELTA_MISMATCH, false).hasMessageContaining("expected >= 2");
    }

    @Test
    void maxTimestampDisagreeingWithTheRecords() {
        ByteBuffer buffer = producerBatch(3);
        buffer.putLong(RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET, 999);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.MAX_TIMESTAMP_MISMATCH).hasMessageContaining("maxTimestamp=999 expected 1002");
        RecordBatchValidator lenient = new RecordBatchValidator(MAX_BATCH, MAX_DECOMPRESSED, false);
        assertThat(lenient.validateProduce(buffer, 0, buffer.limit()).batchMaxTimestamp(0)).isEqualTo(1_002);
    }

    @Test
    void truncatedBatch() {
        ByteBuffer whole = producerBatch(3);
        for (int cut : new int[] {12, RecordBatchDescriptor.HEADER_SIZE, whole.limit() - 1}) {
            ByteBuffer buffer = whole.duplicate().limit(cut);
            assertRejected(buffer, Reason.TRUNCATED_BATCH).hasMessageContaining("batchLength=" + (whole.limit() - 12))
                    .hasMessageContaining("expected <= " + (cut - 12));
        }
    }

    @Test
    void trailingGarbageAfterTheLastBatch() {
        ByteBuffer buffer = concat(producerBatch(2), ByteBuffer.wrap(bytes(1, 2, 3, 4, 5)));
        assertRejected(buffer, Reason.TRAILING_BYTES).hasMessageContaining("batch 1 at position=")
                .hasMessageContaining("5 bytes left");
    }

    @Test
    void trailingPartialSecondBatch() {
        ByteBuffer second = producerBatch(2);
        ByteBuffer buffer = concat(producerBatch(2), second.duplicate().limit(40));
        assertRejected(buffer, Reason.TRUNCATED_BATCH).hasMessageContaining("batch 1 at position=");
    }

    @Test
    void batchLengthBelowTheHeader() {
        ByteBuffer buffer = producerBatch(1);
        buffer.putInt(RecordBatchDescriptor.LENGTH_OFFSET, 48);
        assertRejected(buffer, Reason.BATCH_LENGTH_TOO_SMALL).hasMessageContaining("batchLength=48 expected >= 49");
    }

    @Test
    void batchLargerThanTheLimit() {
        ByteBuffer buffer = producerBatch(50);
        RecordBatchValidator small = new RecordBatchValidator(200, MAX_DECOMPRESSED);
        assertThatThrownBy(() -> small.validateProduce(buffer, 0, buffer.limit()))
                .isInstanceOfSatisfying(InvalidRecordBatchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BATCH_TOO_LARGE))
                .hasMessageContaining("expected <= 200");
    }

    @Test
    void unknownCompressionId() {
        ByteBuffer buffer = producerBatch(2);
        buffer.putShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, (short) 5);
        fixCrc(buffer, 0);
        assertRejected(buffer, Reason.UNKNOWN_COMPRESSION).hasMessageContaining("compression id=5");
    }

    @Test
    void corruptCompressedRecords() {
        for (CompressionType type : new CompressionType[] {CompressionType.GZIP, CompressionType.SNAPPY,
                CompressionType.LZ4, CompressionType.ZSTD}) {
            ByteBuffer garbage = rawBatch(type.id(), 1, 0, 0, bytes(0x13, 0x37, 0x00, 0xFF, 0x10, 0x20, 0x30, 0x40,
                    0x50, 0x60, 0x70, 0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0x01));
            assertRejected(garbage, Reason.DECOMPRESSION_FAILED).as(type.configName()).hasMessageContaining(type.configName());

            ByteBuffer good = producerBatch(20, type);
            ByteBuffer truncatedStream = rawBatch(type.id(), 20, 19, 1_019, slice(good, RecordBatchDescriptor.RECORDS_OFFSET,
                    good.limit() - RecordBatchDescriptor.RECORDS_OFFSET - 6));
            assertRejected(truncatedStream, Reason.DECOMPRESSION_FAILED).as("truncated " + type);
        }
    }

    @Test
    void zipBombFailsCleanlyAtTheCap() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[64 * 1024];
            for (int i = 0; i < 256; i++) {   // 16 MiB of zeros, 16 times the cap
                gzip.write(zeros);
            }
        }
        assertThat(compressed.size()).isLessThan(64 * 1024);
        ByteBuffer bomb = rawBatch(CompressionType.GZIP.id(), 1, 0, 0, compressed.toByteArray());
        assertRejected(bomb, Reason.DECOMPRESSED_TOO_LARGE).hasMessageContaining("maxDecompressedBytes=" + MAX_DECOMPRESSED);
    }

    // Hand-written records. A valid minimal record is
    // 0C (length 6) 00 (attributes) 00 (timestampDelta) 00 (offsetDelta) 01 (key null) 01 (value null) 00 (no headers).

    @Test
    void handWrittenMinimalRecordIsValid() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 1, 0));
        assertThat(validator.validateProduce(buffer, 0, buffer.limit()).recordCount()).isEqualTo(1);
    }

    @Test
    void varlongLongerThanTenBytes() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x20, 0,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 1, 0));
        assertRejected(buffer, Reason.MALFORMED_VARINT).hasMessageContaining("timestampDelta");
    }

    @Test
    void varintWiderThan32Bits() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x14, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 1, 0));
        assertRejected(buffer, Reason.MALFORMED_VARINT).hasMessageContaining("offsetDelta");
    }

    @Test
    void keyLengthBelowMinusOne() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 3, 1, 0));
        assertRejected(buffer, Reason.INVALID_KEY_LENGTH).hasMessageContaining("keyLength=-2");
    }

    @Test
    void keyRunningPastTheRecord() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 0x0A, 1, 0));
        assertRejected(buffer, Reason.INVALID_KEY_LENGTH).hasMessageContaining("keyLength=5 expected -1..2");
    }

    @Test
    void valueLengthOutOfBounds() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 5, 0));
        assertRejected(buffer, Reason.INVALID_VALUE_LENGTH).hasMessageContaining("valueLength=-3");
    }

    @Test
    void negativeHeaderCount() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 1, 1, 1));
        assertRejected(buffer, Reason.INVALID_HEADER_COUNT).hasMessageContaining("headerCount=-1");
    }

    @Test
    void nullHeaderKey() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x10, 0, 0, 0, 1, 1, 2, 1, 1));
        assertRejected(buffer, Reason.INVALID_HEADER_KEY_LENGTH).hasMessageContaining("header 0 keyLength=-1");
    }

    @Test
    void headerValueLengthOutOfBounds() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x10, 0, 0, 0, 1, 1, 2, 0, 3));
        assertRejected(buffer, Reason.INVALID_HEADER_VALUE_LENGTH).hasMessageContaining("header 0 valueLength=-2");
    }

    @Test
    void recordLengthLongerThanItsFields() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x0E, 0, 0, 0, 1, 1, 0, 0x55));
        assertRejected(buffer, Reason.RECORD_LENGTH_MISMATCH).hasMessageContaining("record length=7 but its fields take 6");
    }

    @Test
    void recordEndingInsideAField() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x04, 0, 0x80));
        assertRejected(buffer, Reason.RECORD_LENGTH_MISMATCH).hasMessageContaining("timestampDelta");
    }

    @Test
    void recordLengthPastTheRecordsSection() {
        ByteBuffer buffer = rawBatch(0, 1, 0, 0, bytes(0x20, 0, 0, 0, 1, 1, 0));
        assertRejected(buffer, Reason.RECORD_LENGTH_MISMATCH).hasMessageContaining("record length=16");
    }

    @Test
    void failureInALaterBatchNamesItsIndexAndPosition() {
        ByteBuffer first = producerBatch(2);
        ByteBuffer bad = rawBatch(0, 1, 0, 0, bytes(0x0C, 0, 0, 0, 3, 1, 0));
        ByteBuffer all = concat(first, producerBatch(1), bad);
        int badPosition = all.limit() - bad.limit();
        assertRejected(all, Reason.INVALID_KEY_LENGTH)
                .hasMessageContaining("batch 2")
                .hasMessageContaining("batch at position=" + badPosition)
                .hasMessageContaining("record 0 at position=" + (badPosition + RecordBatchDescriptor.RECORDS_OFFSET));
    }

    private static byte[] slice(ByteBuffer buffer, int from, int length) {
        byte[] out = new byte[length];
        buffer.get(from, out, 0, length);
        return out;
    }
}
