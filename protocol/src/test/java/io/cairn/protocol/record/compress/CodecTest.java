package io.cairn.protocol.record.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecTest {

    static Stream<CompressionCodec> codecs() {
        return Stream.of(GzipCodec.INSTANCE, SnappyCodec.INSTANCE, Lz4Codec.INSTANCE, ZstdCodec.INSTANCE);
    }

    private static byte[] compress(CompressionCodec codec, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream stream = codec.compressTo(out)) {
            stream.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] sample(int size) {
        byte[] data = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (random.nextInt(16) + 'a'); // compressible but not trivial
        }
        return data;
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void roundTripsAcrossManyBlocksFromAnOffsetWithoutMovingTheSource(CompressionCodec codec) throws IOException {
        byte[] data = sample(300_000); // several 32/64 KiB blocks
        byte[] compressed = compress(codec, data);
        ByteBuffer source = ByteBuffer.allocate(compressed.length + 10);
        source.position(5);
        source.put(compressed);
        source.position(1).limit(compressed.length + 10);

        DecompressionBuffer target = new DecompressionBuffer(1 << 20);
        codec.decompress(source, 5, compressed.length, target);
        assertThat(Arrays.copyOf(target.array(), target.size())).isEqualTo(data);
        assertThat(source.position()).isEqualTo(1);

        ByteBuffer direct = ByteBuffer.allocateDirect(compressed.length).put(compressed).flip();
        target.clear();
        codec.decompress(direct, 0, compressed.length, target);
        assertThat(target.size()).isEqualTo(data.length);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void outputOfExactlyTheCapFitsAndOneByteMoreDoesNot(CompressionCodec codec) throws IOException {
        byte[] data = sample(10_000);
        byte[] compressed = compress(codec, data);
        DecompressionBuffer exact = new DecompressionBuffer(10_000);
        codec.decompress(ByteBuffer.wrap(compressed), 0, compressed.length, exact);
        assertThat(exact.size()).isEqualTo(10_000);

        DecompressionBuffer tooSmall = new DecompressionBuffer(9_999);
        assertThatThrownBy(() -> codec.decompress(ByteBuffer.wrap(compressed), 0, compressed.length, tooSmall))
                .isInstanceOf(DecompressedSizeExceededException.class)
                .hasMessageContaining("limit=9999");
    }

    @Test
    void snappyChunkClaimingAHugeSizeFailsBeforeAllocating() {
        // A raw snappy block whose length varint claims 1 GiB.
        byte[] raw = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 0x00, 0x01, 0x02};
        DecompressionBuffer target = new DecompressionBuffer(1 << 20);
        assertThatThrownBy(() -> SnappyCodec.INSTANCE.decompress(ByteBuffer.wrap(raw), 0, raw.length, target))
                .isInstanceOf(DecompressedSizeExceededException.class)
                .hasMessageContaining("1073741824");
        assertThat(target.array().length).isLessThanOrEqualTo(1 << 20);

        // The same block inside the xerial framing.
        ByteBuffer framed = ByteBuffer.allocate(16 + 4 + raw.length);
        framed.put(new byte[] {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}).putInt(1).putInt(1).putInt(raw.length).put(raw).flip();
        assertThatThrownBy(() -> SnappyCodec.INSTANCE.decompress(framed, 0, framed.limit(), new DecompressionBuffer(1 << 20)))
                .isInstanceOf(DecompressedSizeExceededException.class);
    }

    @Test
    void snappyChunkLengthPastTheStreamIsCorruption() {
        ByteBuffer framed = ByteBuffer.allocate(16 + 4 + 2);
        framed.put(new byte[] {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}).putInt(1).putInt(1).putInt(1_000_000)
                .put((byte) 1).put((byte) 2).flip();
        assertThatThrownBy(() -> SnappyCodec.INSTANCE.decompress(framed, 0, framed.limit(), new DecompressionBuffer(1 << 20)))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(DecompressedSizeExceededException.class)
                .hasMessageContaining("chunk length=1000000");
    }

    @Test
    void snappyReadsConcatenatedStreams() throws IOException {
        byte[] a = compress(SnappyCodec.INSTANCE, sample(1000));
        byte[] b = compress(SnappyCodec.INSTANCE, sample(2000));
        ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).flip();
        DecompressionBuffer target = new DecompressionBuffer(1 << 20);
        SnappyCodec.INSTANCE.decompress(both, 0, both.limit(), target);
        assertThat(target.size()).isEqualTo(3000);
    }

    @Test
    void decompressionBufferGrowsGeometricallyAndKeepsItsMemory() throws IOException {
        DecompressionBuffer buffer = new DecompressionBuffer(1 << 20);
        buffer.readFully(new ByteArrayInputStream(new byte[100_000]));
        byte[] grown = buffer.array();
        assertThat(grown.length).isBetween(100_000, 1 << 20);
        buffer.clear();
        buffer.readFully(new ByteArrayInputStream(new byte[50_000]));
        assertThat(buffer.array()).isSameAs(grown);
        assertThat(buffer.byteBuffer().remaining()).isEqualTo(50_000);
        assertThatThrownBy(() -> new DecompressionBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteBufferInputStreamReadsItsRangeOnly() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        ByteBufferInputStream in = new ByteBufferInputStream(buffer, 1, 3);
        assertThat(in.available()).isEqualTo(3);
        assertThat(in.read()).isEqualTo(2);
        byte[] rest = new byte[10];
        assertThat(in.read(rest, 0, 10)).isEqualTo(2);
        assertThat(rest[1]).isEqualTo((byte) 4);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(rest, 0, 10)).isEqualTo(-1);
        assertThat(buffer.position()).isZero();
        assertThatThrownBy(() -> new ByteBufferInputStream(buffer, 4, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
