package io.cairn.protocol.message;

import io.cairn.protocol.message.Samples.Mode;
import io.cairn.protocol.message.Samples.SpecVersion;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Schema;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the committed seed corpus of the Jazzer fuzz targets (FrameReaderFuzzTest,
 * RequestDecoderFuzzTest, RecordBatchFuzzTest): valid inputs of every kind, plus the classic bad
 * ones, so that regression mode in {@code mvn verify} exercises every decoder and real fuzzing
 * starts from inputs that reach deep. Regenerate with
 * {@code mvn -q test -pl protocol -Dtest=FuzzSeedCorpus -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.regenerateSeeds=true}.
 */
@EnabledIfSystemProperty(named = "cairn.regenerateSeeds", matches = "true")
class FuzzSeedCorpus {
    private static final Path RESOURCES = Path.of("src/test/resources/io/cairn/protocol");

    @Test
    void writeSeeds() throws IOException {
        writeFrameSeeds(RESOURCES.resolve("wire/FrameReaderFuzzTestInputs/framesAreCutOrRefusedNeverMisread"));
        writeRequestSeeds(RESOURCES.resolve("message/RequestDecoderFuzzTestInputs"));
        writeBatchSeeds(RESOURCES.resolve("record/RecordBatchFuzzTestInputs"));
    }

    private static void writeFrameSeeds(Path dir) throws IOException {
        byte[] frames = concat(frame(18, RequestDecoderFuzzTest.requestValue(0, 1, "c", new byte[4])),
                frame(3, RequestDecoderFuzzTest.requestValue(0, 2, "c", new byte[] {0, 0, 0, 0})),
                frame(0x8012, new byte[0]));
        write(dir, "three-frames-whole", concat(new byte[] {0x10, 0x00, (byte) 0xFF}, frames));
        write(dir, "three-frames-trickled", concat(new byte[] {0x10, 0x00, 0x00}, frames));
        write(dir, "length-over-max", concat(new byte[] {0x00, 0x40, 0x07}, header(18, 0x41)));
        write(dir, "length-minus-one", concat(new byte[] {0x10, 0x00, 0x05}, header(18, 0xFFFF_FFFFL)));
        write(dir, "length-2^31-1", concat(new byte[] {0x10, 0x00, 0x05}, header(18, 0x7FFF_FFFFL)));
        write(dir, "half-a-frame", concat(new byte[] {0x10, 0x00, 0x02}, Arrays.copyOf(frames, 9)));
    }

    private static void writeRequestSeeds(Path dir) throws IOException {
        List<SpecVersion> specs = Samples.specVersions();
        for (int i = 0; i < specs.size(); i++) {
            SpecVersion sv = specs.get(i);
            for (Mode mode : Mode.values()) {
                byte[] body = body(sv.spec().requestSchema(), sv.version(), mode, i);
                String name = sv.spec().apiKey().displayName() + "-v" + sv.version() + "-" + mode.name().toLowerCase();
                write(dir.resolve("everyRequestBodyDecodesOrIsRefused"), name, concat(new byte[] {(byte) i}, body));
                write(dir.resolve("anyFrameValueDecodesOrIsRefused"), name,
                        concat(u16(sv.spec().apiKey().id()), RequestDecoderFuzzTest.requestValue(sv.version(), 7, "fuzz", body)));
            }
        }
        Path frames = dir.resolve("anyFrameValueDecodesOrIsRefused");
        write(frames, "response-flag", concat(u16(0x8012), RequestDecoderFuzzTest.requestValue(0, 1, null, new byte[4])));
        write(frames, "unknown-api", concat(u16(999), RequestDecoderFuzzTest.requestValue(0, 1, "c", new byte[3])));
        write(frames, "short-header", concat(u16(18), new byte[] {0, 0, 0}));
        write(frames, "client-id-past-end", concat(u16(18), new byte[] {0, 0, 0, 0, 0, 1, 0, (byte) 200, 'a'}));
    }

    private static void writeBatchSeeds(Path dir) throws IOException {
        Path any = dir.resolve("anyBytesValidateOrAreRefused");
        Path crc = dir.resolve("batchesWithAValidCrcValidateOrAreRefused");
        Path codecs = dir.resolve("compressedStreamsDecompressOrAreRefused");
        byte codecIndex = 0;
        for (CompressionType type : CompressionType.values()) {
            byte[] batch = batch(type, 5, false);
            byte[] idempotent = batch(type, 1, true);
            String name = type.name().toLowerCase();
            write(any, name, batch);
            write(any, name + "-idempotent", idempotent);
            write(crc, name, Arrays.copyOfRange(batch, RecordBatchDescriptor.ATTRIBUTES_OFFSET, batch.length));
            write(crc, name + "-idempotent", Arrays.copyOfRange(idempotent, RecordBatchDescriptor.ATTRIBUTES_OFFSET, idempotent.length));
            if (type != CompressionType.NONE) {
                write(codecs, name, concat(new byte[] {codecIndex++},
                        Arrays.copyOfRange(batch, RecordBatchDescriptor.HEADER_SIZE, batch.length)));
            }
        }
        byte[] plain = batch(CompressionType.NONE, 3, false);
        write(any, "two-batches", concat(plain, batch(CompressionType.GZIP, 2, false)));
        write(any, "truncated", Arrays.copyOf(plain, plain.length - 3));
        byte[] badCrc = plain.clone();
        badCrc[badCrc.length - 1] ^= 1;
        write(any, "bad-crc", badCrc);
    }

    private static byte[] batch(CompressionType type, int records, boolean idempotent) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compressionType(type);
        if (idempotent) {
            builder.producer(1000L, (short) 0, 0);
        }
        Random random = new Random(records);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[random.nextInt(40)];
            random.nextBytes(value);
            Header[] headers = i % 2 == 0 ? new Header[0]
                    : new Header[] {new Header("h" + i, ("v" + i).getBytes(StandardCharsets.UTF_8))};
            builder.append(1_700_000_000_000L + i, i == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8), value, headers);
        }
        ByteBuffer built = builder.build();
        byte[] bytes = new byte[built.remaining()];
        built.duplicate().get(bytes);
        return bytes;
    }

    static <T extends Record> byte[] body(Schema<T> schema, int version, Mode mode, long seed) {
        T value = Samples.value(schema, version, new Random(seed), mode);
        ByteBuf buf = Unpooled.buffer();
        try {
            schema.write(MessageWriter.inline(buf), value, version);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
            schema.release(value);
        }
    }

    private static byte[] frame(int type, byte[] value) {
        return concat(header(type, value.length), value);
    }

    private static byte[] header(int type, long length) {
        return ByteBuffer.allocate(6).putShort((short) type).putInt((int) length).array();
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
