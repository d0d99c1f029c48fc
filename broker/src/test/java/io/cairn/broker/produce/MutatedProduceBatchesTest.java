package io.cairn.broker.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.broker.testing.RawDataPath;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.protocol.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 14: 1,000 mutated produce batches sent to a live broker, each a valid
 * batch broken in one known way (bad CRC, record counts, offset deltas, magic, lengths,
 * attributes and compression, records), alone or behind a valid batch in the same request.
 * Every one is refused with the error code the broken rule maps to (CORRUPT_MESSAGE for what
 * the CRC, magic and lengths guard, INVALID_RECORD for a CRC-valid batch that breaks a format
 * rule) and the partition's end offset does not move; valid batches sent in between are appended
 * at exactly the offsets expected, and a fetch returns only them.
 */
class MutatedProduceBatchesTest {
    private static final int CASES = 1000;

    @TempDir
    Path dir;

    /** One way of breaking a batch, and the error code the broker must answer it with. */
    enum Mutation {
        FLIPPED_BIT_UNDER_CRC(ErrorCode.CORRUPT_MESSAGE),
        WRONG_CRC_FIELD(ErrorCode.CORRUPT_MESSAGE),
        WRONG_MAGIC(ErrorCode.CORRUPT_MESSAGE),
        BATCH_LENGTH_BELOW_HEADER(ErrorCode.CORRUPT_MESSAGE),
        BATCH_LENGTH_PAST_END(ErrorCode.CORRUPT_MESSAGE),
        BATCH_LENGTH_SHORT(ErrorCode.CORRUPT_MESSAGE),
        TRUNCATED(ErrorCode.CORRUPT_MESSAGE),
        TRAILING_BYTES(ErrorCode.CORRUPT_MESSAGE),
        RECORD_COUNT_TOO_HIGH(ErrorCode.INVALID_RECORD),
        RECORD_COUNT_TOO_LOW(ErrorCode.INVALID_RECORD),
        RECORD_COUNT_NEGATIVE(ErrorCode.INVALID_RECORD),
        RECORD_COUNT_ZERO_NO_RECORDS(ErrorCode.INVALID_RECORD),
        LAST_OFFSET_DELTA_WRONG(ErrorCode.INVALID_RECORD),
        RECORD_OFFSET_DELTA_WRONG(ErrorCode.INVALID_RECORD),
        RECORD_LENGTH_WRONG(ErrorCode.INVALID_RECORD),
        RECORD_KEY_LENGTH_WRONG(ErrorCode.INVALID_RECORD),
        UNKNOWN_COMPRESSION(ErrorCode.INVALID_RECORD),
        COMPRESSION_BITS_ON_PLAIN_RECORDS(ErrorCode.INVALID_RECORD),
        CORRUPT_COMPRESSED_STREAM(ErrorCode.INVALID_RECORD),
        TRUNCATED_COMPRESSED_STREAM(ErrorCode.INVALID_RECORD),
        MAX_TIMESTAMP_WRONG(ErrorCode.INVALID_RECORD);

        final ErrorCode expected;

        Mutation(ErrorCode expected) {
            this.expected = expected;
        }

        boolean needsCompression() {
            return this == CORRUPT_COMPRESSED_STREAM || this == TRUNCATED_COMPRESSED_STREAM;
        }

        boolean needsPlainRecords() {
            return this == RECORD_OFFSET_DELTA_WRONG || this == RECORD_LENGTH_WRONG || this == RECORD_KEY_LENGTH_WRONG
                    || this == COMPRESSION_BITS_ON_PLAIN_RECORDS || this == RECORD_COUNT_ZERO_NO_RECORDS;
        }
    }

    @Test
    void everyMutatedBatchIsRefusedWithItsErrorCodeAndNothingIsStored() {
        Random random = new Random(14);
        Map<Mutation, Integer> refused = new EnumMap<>(Mutation.class);
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
            broker.createTopic("mutated", 1);
            try (RawClient client = broker.rawClient()) {
                long end = 0;
                long validBytes = 0;
                for (int i = 0; i < CASES; i++) {
                    Mutation mutation = Mutation.values()[i % Mutation.values().length];
                    byte[] broken = mutate(mutation, random);
                    boolean behindAValidBatch = random.nextInt(4) == 0;
                    byte[] records = behindAValidBatch ? concat(validBatch(random, CompressionType.NONE), broken) : broken;

                    ProduceResponse.PartitionResponse answer = RawDataPath.produce(client, "mutated", 0, records);
                    assertThat(ErrorCode.forCode(answer.errorCode()))
                            .as("case %d: %s%s: %s", i, mutation, behindAValidBatch ? " behind a valid batch" : "", answer.errorMessage())
                            .isEqualTo(mutation.expected);
                    assertThat(answer.errorMessage()).as("case %d: %s", i, mutation).isNotBlank();
                    assertThat(answer.baseOffset()).isEqualTo(-1);
                    assertThat(RawDataPath.endOffset(client, "mutated", 0)).as("end offset after case %d: %s", i, mutation)
                            .isEqualTo(end);
                    refused.merge(mutation, 1, Integer::sum);

                    if (i % 50 == 49) { // the broker still appends valid batches, at the expected offset
                        byte[] valid = validBatch(random, CompressionType.values()[random.nextInt(5)]);
                        ProduceResponse.PartitionResponse ok = RawDataPath.produce(client, "mutated", 0, valid);
                        assertThat(ok.errorCode()).as("valid batch after case %d: %s", i, ok.errorMessage()).isZero();
                        assertThat(ok.baseOffset()).isEqualTo(end);
                        end += ByteBuffer.wrap(valid).getInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET);
                        validBytes += valid.length;
                        assertThat(RawDataPath.endOffset(client, "mutated", 0)).isEqualTo(end);
                    }
                }
                byte[] all = RawDataPath.fetch(client, "mutated", 0, 0);
                RecordBatches batches = RecordBatches.of(ByteBuffer.wrap(all));
                int fetchedBatches = 0;
                while (batches.hasNext()) {
                    assertThat(batches.next().isCrcValid()).isTrue();
                    fetchedBatches++;
                }
                assertThat(fetchedBatches).as("only the valid batches are stored").isEqualTo(CASES / 50);
                assertThat((long) all.length).isEqualTo(validBytes);
            }
        }
        assertThat(refused.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        System.out.println("mutated produce batches refused with the expected code: " + refused);
    }

    // ---- mutations ------------------------------------------------------------------------------

    private static byte[] mutate(Mutation mutation, Random random) {
        CompressionType compression = mutation.needsCompression()
                ? CompressionType.values()[1 + random.nextInt(4)]
                : mutation.needsPlainRecords() ? CompressionType.NONE : CompressionType.values()[random.nextInt(5)];
        byte[] b = validBatch(random, compression);
        ByteBuffer buf = ByteBuffer.wrap(b);
        int count = buf.getInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET);
        int recordsStart = RecordBatchDescriptor.HEADER_SIZE;
        switch (mutation) {
            case FLIPPED_BIT_UNDER_CRC -> {
                int at = RecordBatchDescriptor.ATTRIBUTES_OFFSET + random.nextInt(b.length - RecordBatchDescriptor.ATTRIBUTES_OFFSET);
                b[at] ^= (byte) (1 << random.nextInt(8));
                return b;
            }
            case WRONG_CRC_FIELD -> {
                buf.putInt(RecordBatchDescriptor.CRC_OFFSET, buf.getInt(RecordBatchDescriptor.CRC_OFFSET) + 1 + random.nextInt(1000));
                return b;
            }
            case WRONG_MAGIC -> {
                byte[] others = {0, 1, 3, 4, 127, -1};
                b[RecordBatchDescriptor.MAGIC_OFFSET] = others[random.nextInt(others.length)];
                return b;
            }
            case BATCH_LENGTH_BELOW_HEADER -> {
                buf.putInt(RecordBatchDescriptor.LENGTH_OFFSET, random.nextInt(RecordBatchDescriptor.MIN_BATCH_LENGTH) - random.nextInt(2) * 1000);
                return b;
            }
            case BATCH_LENGTH_PAST_END -> {
                buf.putInt(RecordBatchDescriptor.LENGTH_OFFSET, buf.getInt(RecordBatchDescriptor.LENGTH_OFFSET) + 1
                        + (random.nextBoolean() ? random.nextInt(100) : Integer.MAX_VALUE / 2));
                return b;
            }
            case BATCH_LENGTH_SHORT -> {
                int length = buf.getInt(RecordBatchDescriptor.LENGTH_OFFSET);
                buf.putInt(RecordBatchDescriptor.LENGTH_OFFSET, Math.max(RecordBatchDescriptor.MIN_BATCH_LENGTH, length - 1 - random.nextInt(8)));
                return b;
            }
            case TRUNCATED -> {
                return Arrays.copyOf(b, RecordBatchDescriptor.LOG_OVERHEAD + random.nextInt(b.length - RecordBatchDescriptor.LOG_OVERHEAD));
            }
            case TRAILING_BYTES -> {
                byte[] tail = new byte[1 + random.nextInt(RecordBatchDescriptor.LOG_OVERHEAD - 1)];
                random.nextBytes(tail);
                return concat(b, tail);
            }
            case RECORD_COUNT_TOO_HIGH -> buf.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, count + 1 + random.nextInt(1000));
            case RECORD_COUNT_TOO_LOW -> buf.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, random.nextInt(count));
            case RECORD_COUNT_NEGATIVE -> buf.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, -1 - random.nextInt(Integer.MAX_VALUE));
            case RECORD_COUNT_ZERO_NO_RECORDS -> {
                b = Arrays.copyOf(b, RecordBatchDescriptor.HEADER_SIZE);
                buf = ByteBuffer.wrap(b);
                buf.putInt(RecordBatchDescriptor.LENGTH_OFFSET, RecordBatchDescriptor.MIN_BATCH_LENGTH);
                buf.putInt(RecordBatchDescriptor.RECORDS_COUNT_OFFSET, 0);
                buf.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, random.nextBoolean() ? 0 : -1);
            }
            case LAST_OFFSET_DELTA_WRONG -> {
                int last = count - 1;
                int wrong = random.nextBoolean() ? last + 1 + random.nextInt(100) : last - 1 - random.nextInt(100);
                buf.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, wrong);
            }
            case RECORD_OFFSET_DELTA_WRONG -> {
                int index = random.nextInt(count);
                int at = recordField(b, recordsStart, index, Field.OFFSET_DELTA);
                // one-byte zig-zag varints: 2*i is delta i; put a different one-byte delta there
                int wrongDelta = (index + 1 + random.nextInt(20)) % 60;
                if (wrongDelta == index) {
                    wrongDelta = index + 1;
                }
                b[at] = (byte) (2 * wrongDelta);
            }
            case RECORD_LENGTH_WRONG -> {
                int at = recordField(b, recordsStart, random.nextInt(count), Field.LENGTH);
                int length = b[at] >> 1;
                b[at] = (byte) (2 * (random.nextBoolean() ? length + 1 : length - 1));
            }
            case RECORD_KEY_LENGTH_WRONG -> {
                int at = recordField(b, recordsStart, random.nextInt(count), Field.KEY_LENGTH);
                // zig-zag 3 is -2 (below -1); 120 is 60, past the end of every record here
                b[at] = random.nextBoolean() ? (byte) 3 : (byte) 120;
            }
            case UNKNOWN_COMPRESSION -> {
                short attributes = buf.getShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET);
                buf.putShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, (short) ((attributes & ~0x7) | (5 + random.nextInt(3))));
            }
            case COMPRESSION_BITS_ON_PLAIN_RECORDS -> {
                short attributes = buf.getShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET);
                buf.putShort(RecordBatchDescriptor.ATTRIBUTES_OFFSET, (short) ((attributes & ~0x7) | (1 + random.nextInt(4))));
            }
            case CORRUPT_COMPRESSED_STREAM -> {
                // The stream's first bytes are its magic number and frame header in every codec.
                for (int i = 0; i < 4; i++) {
                    b[recordsStart + i] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case TRUNCATED_COMPRESSED_STREAM -> {
                int keep = RecordBatchDescriptor.HEADER_SIZE + random.nextInt(Math.max(1, (b.length - RecordBatchDescriptor.HEADER_SIZE) / 2));
                b = Arrays.copyOf(b, keep);
                buf = ByteBuffer.wrap(b);
                buf.putInt(RecordBatchDescriptor.LENGTH_OFFSET, keep - RecordBatchDescriptor.LOG_OVERHEAD);
            }
            case MAX_TIMESTAMP_WRONG -> buf.putLong(RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET,
                    buf.getLong(RecordBatchDescriptor.MAX_TIMESTAMP_OFFSET) + 1 + random.nextInt(1000));
            default -> throw new IllegalStateException("unhandled " + mutation);
        }
        fixCrc(b);
        return b;
    }

    private enum Field { LENGTH, OFFSET_DELTA, KEY_LENGTH }

    /**
     * Position of a field of record {@code index} in an uncompressed batch. The test's records are
     * small, so every varint but the timestamp delta is one byte.
     */
    private static int recordField(byte[] b, int recordsStart, int index, Field field) {
        int p = recordsStart;
        for (int i = 0; i < index; i++) {
            int length = b[p] >> 1;
            p += 1 + length;
        }
        if (field == Field.LENGTH) {
            return p;
        }
        p += 2; // length varint, attributes
        while ((b[p] & 0x80) != 0) { // timestampDelta varlong
            p++;
        }
        p++;
        if (field == Field.OFFSET_DELTA) {
            return p;
        }
        return p + 1;
    }

    /** A valid producer batch of 1 to 20 small records (every record under 64 bytes). */
    private static byte[] validBatch(Random random, CompressionType compression) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(compression);
        int count = 1 + random.nextInt(20);
        long timestamp = 1_700_000_000_000L + random.nextInt(1_000_000);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[random.nextInt(20)];
            random.nextBytes(value);
            Header[] headers = random.nextInt(4) == 0 ? new Header[] {new Header("h", new byte[] {1})} : new Header[0];
            builder.append(timestamp + random.nextInt(100), ("k" + i).getBytes(StandardCharsets.UTF_8), value, headers);
        }
        ByteBuffer built = builder.build();
        byte[] bytes = new byte[built.remaining()];
        built.duplicate().get(bytes);
        return bytes;
    }

    private static void fixCrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, RecordBatchDescriptor.ATTRIBUTES_OFFSET, b.length - RecordBatchDescriptor.ATTRIBUTES_OFFSET);
        ByteBuffer.wrap(b).putInt(RecordBatchDescriptor.CRC_OFFSET, (int) crc.getValue());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
