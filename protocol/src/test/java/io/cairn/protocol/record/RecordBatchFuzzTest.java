package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.protocol.fuzz.InputBudget;
import io.cairn.protocol.record.compress.DecompressedSizeExceededException;
import io.cairn.protocol.record.compress.DecompressionBuffer;
import io.cairn.protocol.record.compress.GzipCodec;
import io.cairn.protocol.record.compress.Lz4Codec;
import io.cairn.protocol.record.compress.SnappyCodec;
import io.cairn.protocol.record.compress.ZstdCodec;
import io.cairn.protocol.record.compress.CompressionCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Coverage-guided fuzzing of the record-batch readers (Jazzer): {@link RecordBatchValidator}
 * (produce and stored rules), {@link RecordBatches}, {@link RecordBatch}, {@link RecordCursor}
 * and the four decompression codecs. In {@code mvn verify} the targets replay their committed
 * seeds ({@code src/test/resources/io/cairn/protocol/record/RecordBatchFuzzTestInputs}: valid
 * batches in every compression, and broken ones); {@code reliability/fuzz.sh} fuzzes them for real.
 *
 * <p>Properties, per input: the only exception is {@link InvalidRecordBatchException} (for the
 * codecs: {@link IOException}); decompression never grows past the cap; the input stays within
 * {@link InputBudget}. A batch the validator accepts can be iterated to its end by the CURSOR.
 */
class RecordBatchFuzzTest {
    private static final int MAX_BATCH_BYTES = 1 << 20;
    private static final int MAX_DECOMPRESSED_BYTES = 1 << 20;
    private static final List<CompressionCodec> CODECS =
            List.of(GzipCodec.INSTANCE, SnappyCodec.INSTANCE, Lz4Codec.INSTANCE, ZstdCodec.INSTANCE);

    /** Reused across inputs, as the broker keeps one per event loop; the fuzz targets run on one thread. */
    private static final RecordBatchValidator VALIDATOR = new RecordBatchValidator(MAX_BATCH_BYTES, MAX_DECOMPRESSED_BYTES);
    private static final RecordCursor CURSOR = new RecordCursor(MAX_DECOMPRESSED_BYTES);

    static {
        // Class and native-library loading and the buffers' first growth are not the input's: pay them before measuring.
        for (int round = 0; round < 2; round++) {
            for (CompressionType type : CompressionType.values()) {
                RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(type);
                for (int i = 0; i < 20; i++) {
                    builder.append(i, ("k" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[1000],
                            new Header[] {new Header("h", null)});
                }
                ByteBuffer batch = builder.build();
                byte[] bytes = new byte[batch.remaining()];
                batch.duplicate().get(bytes);
                check(ByteBuffer.wrap(bytes));
                bytes[bytes.length - 1] ^= 1;
                check(ByteBuffer.wrap(bytes));
                check(ByteBuffer.wrap(java.util.Arrays.copyOf(bytes, 70)));
                if (type != CompressionType.NONE) {
                    decompress(CODECS.get(type.ordinal() - 1), java.util.Arrays.copyOfRange(bytes, 60, bytes.length));
                    decompress(CODECS.get(type.ordinal() - 1), java.util.Arrays.copyOfRange(bytes, 60, 80));
                }
            }
        }
    }

    /** Input: a buffer of batches exactly as a produce request carries it. */
    @FuzzTest(maxDuration = "30s")
    void anyBytesValidateOrAreRefused(byte[] input) {
        InputBudget.run("batches", input.length, () -> check(ByteBuffer.wrap(input)));
    }

    /**
     * Input: a batch from its {@code attributes} field on; the target puts a header with the right
     * length, magic and CRC in front, so the fuzzer spends its time on what the CRC protects:
     * attributes, offsets, counts, compressed streams and records.
     */
    @FuzzTest(maxDuration = "30s")
    void batchesWithAValidCrcValidateOrAreRefused(byte[] input) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchDescriptor.ATTRIBUTES_OFFSET + input.length);
        batch.putLong(0L)
                .putInt(RecordBatchDescriptor.ATTRIBUTES_OFFSET - RecordBatchDescriptor.LOG_OVERHEAD + input.length)
                .putInt(-1)
                .put(RecordBatchDescriptor.MAGIC_V2)
                .putInt(0)
                .put(input);
        CRC32C crc = new CRC32C();
        crc.update(input);
        batch.putInt(RecordBatchDescriptor.CRC_OFFSET, (int) crc.getValue());
        InputBudget.run("batch with valid crc", input.length, () -> check(batch));
    }

    /** Input: {@code codec:u8 stream...}; decompresses into a buffer capped at 1 MiB. */
    @FuzzTest(maxDuration = "30s")
    void compressedStreamsDecompressOrAreRefused(byte[] input) {
        if (input.length < 1) {
            return;
        }
        CompressionCodec codec = CODECS.get((input[0] & 0xFF) % CODECS.size());
        InputBudget.run(codec.getClass().getSimpleName(), input.length, () -> decompress(codec, input));
    }

    /** Decompresses {@code input[1..]} with {@code codec}. */
    private static void decompress(CompressionCodec codec, byte[] input) {
        DecompressionBuffer target = new DecompressionBuffer(MAX_DECOMPRESSED_BYTES);
        try {
            codec.decompress(ByteBuffer.wrap(input), 1, input.length - 1, target);
        } catch (DecompressedSizeExceededException expected) {
            assertThat(target.size()).isLessThanOrEqualTo(MAX_DECOMPRESSED_BYTES);
        } catch (IOException expected) {
            // a corrupt or truncated stream
        }
        assertThat(target.size()).isLessThanOrEqualTo(MAX_DECOMPRESSED_BYTES);
    }

    private static void check(ByteBuffer buffer) {
        boolean produceValid = validates(() -> VALIDATOR.validateProduce(buffer, 0, buffer.limit()));
        boolean storedValid = validates(() -> VALIDATOR.validateStored(buffer, 0, buffer.limit()));
        if (produceValid) {
            assertThat(storedValid).as("a valid producer batch is a valid stored batch").isTrue();
        }
        // Readers that do not validate first (recovery, fetch, the cleaner) meet the same bytes.
        try {
            RecordBatches batches = new RecordBatches().reset(buffer, 0, buffer.limit());
            for (RecordBatch batch : batches) {
                batch.magic();
                batch.compressionId();
                batch.isCrcValid();
                if (batch.magic() != RecordBatchDescriptor.MAGIC_V2) {
                    continue;
                }
                int records = 0;
                for (CURSOR.reset(batch); CURSOR.hasNext(); CURSOR.next()) {
                    records++;
                }
                if (storedValid) {
                    assertThat(records).isEqualTo(batch.recordCount());
                }
            }
        } catch (InvalidRecordBatchException expected) {
            assertThat(storedValid).as("the cursor refuses what the validator accepted: %s", expected.getMessage()).isFalse();
        }
    }

    private static boolean validates(Runnable validation) {
        try {
            validation.run();
            return true;
        } catch (InvalidRecordBatchException expected) {
            assertThat(expected.reason()).isNotNull();
            return false;
        }
    }
}
