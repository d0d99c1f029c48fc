package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.FrameDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Metadata v1 adds the partition's log figures; v0 stays byte for byte what it was. The expected
 * bytes are written out field by field here, independently of the schema kit.
 */
class MetadataVersionsTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final UUID TOPIC_ID = new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L);

    private static MetadataResponse response() {
        MetadataResponse.Partition p0 = new MetadataResponse.Partition(ErrorCode.NONE.code(), 0, 1, 0,
                5, 42, 8192, 3);
        MetadataResponse.Partition p1 = new MetadataResponse.Partition(ErrorCode.STORAGE_ERROR.code(), 1, -1, -1);
        return new MetadataResponse(ErrorCode.NONE.code(), null,
                List.of(new MetadataResponse.Broker(1, "h", 7390, null)), "c",
                List.of(new MetadataResponse.Topic(ErrorCode.NONE.code(), "t", TOPIC_ID, false, List.of(p0, p1))));
    }

    /** The response body up to the partitions array, the same in both versions. */
    private static ByteBuf head() {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0).writeShort(0xFFFF);                       // errorCode, errorMessage = null
        b.writeInt(1).writeInt(1).writeShort(1).writeByte('h').writeInt(7390).writeShort(0xFFFF); // brokers
        b.writeShort(1).writeByte('c');                           // clusterId
        b.writeInt(1);                                            // topics: 1
        b.writeShort(0).writeShort(1).writeByte('t');             // errorCode, name
        b.writeLong(TOPIC_ID.getMostSignificantBits()).writeLong(TOPIC_ID.getLeastSignificantBits());
        b.writeByte(0);                                           // isInternal
        b.writeInt(2);                                            // partitions: 2
        return b;
    }

    private static byte[] expectedV0() {
        ByteBuf b = head();
        b.writeShort(0).writeInt(0).writeInt(1).writeInt(0);
        b.writeShort(ErrorCode.STORAGE_ERROR.code()).writeInt(1).writeInt(-1).writeInt(-1);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] expectedV1() {
        ByteBuf b = head();
        b.writeShort(0).writeInt(0).writeInt(1).writeInt(0).writeLong(5).writeLong(42).writeLong(8192).writeInt(3);
        b.writeShort(ErrorCode.STORAGE_ERROR.code()).writeInt(1).writeInt(-1).writeInt(-1)
                .writeLong(-1).writeLong(-1).writeLong(-1).writeInt(-1);
        return ByteBufUtil.getBytes(b);
    }

    /** The body of an encoded response frame: after type, length and correlation id. */
    private static byte[] body(MetadataResponse response, int version) {
        EncodedFrame frame = ApiSpecs.METADATA.encodeResponse(ALLOC, response, version, 9);
        ByteBuf wire = frame.toByteBuf(ALLOC);
        try {
            assertThat(wire.readUnsignedShort()).isEqualTo(FrameDescriptor.responseType(ApiKey.METADATA.id()));
            assertThat(wire.readInt()).isEqualTo(wire.readableBytes());
            assertThat(wire.readInt()).isEqualTo(9);
            return ByteBufUtil.getBytes(wire);
        } finally {
            wire.release();
        }
    }

    @Test
    void version0EncodingIsUnchanged() {
        assertThat(body(response(), 0)).isEqualTo(expectedV0());
    }

    @Test
    void version1AppendsTheLogFiguresToEachPartition() {
        assertThat(body(response(), 1)).isEqualTo(expectedV1());
    }

    @Test
    void version1DecodesTheLogFigures() {
        MetadataResponse decoded = ApiSpecs.METADATA.decodeResponse(Unpooled.wrappedBuffer(expectedV1()), 1);

        assertThat(decoded).isEqualTo(response());
        MetadataResponse.Partition p0 = decoded.topics().get(0).partitions().get(0);
        assertThat(p0.logStartOffset()).isEqualTo(5);
        assertThat(p0.logEndOffset()).isEqualTo(42);
        assertThat(p0.sizeInBytes()).isEqualTo(8192);
        assertThat(p0.segmentCount()).isEqualTo(3);
    }

    @Test
    void version0DecodesTheLogFiguresAsUnknown() {
        MetadataResponse decoded = ApiSpecs.METADATA.decodeResponse(Unpooled.wrappedBuffer(expectedV0()), 0);

        MetadataResponse.Partition p0 = decoded.topics().get(0).partitions().get(0);
        assertThat(p0).isEqualTo(new MetadataResponse.Partition(ErrorCode.NONE.code(), 0, 1, 0, -1, -1, -1, -1));
        assertThat(p0).isEqualTo(new MetadataResponse.Partition(ErrorCode.NONE.code(), 0, 1, 0));
    }

    @Test
    void theRequestIsTheSameInBothVersions() {
        MetadataRequest request = new MetadataRequest(List.of("t"), true);
        byte[] v0 = requestBody(request, 0);
        byte[] v1 = requestBody(request, 1);

        assertThat(v1).isEqualTo(v0);
        assertThat(new String(v0, StandardCharsets.ISO_8859_1)).endsWith("\u0000\u0000\u0000\u0001\u0000\u0001t\u0001");
    }

    @Test
    void metadataSpeaksVersions0And1() {
        assertThat(ApiSpecs.METADATA.versions().lowest()).isZero();
        assertThat(ApiSpecs.METADATA.latestVersion()).isEqualTo(1);
    }

    private static byte[] requestBody(MetadataRequest request, int version) {
        EncodedFrame frame = ApiSpecs.METADATA.encodeRequest(ALLOC, request, version, 3, "x");
        ByteBuf wire = frame.toByteBuf(ALLOC);
        try {
            wire.skipBytes(FrameDescriptor.HEADER_LENGTH);
            assertThat(wire.readUnsignedShort()).isEqualTo(version);
            wire.skipBytes(4 + 2 + 1);                             // correlationId, clientId "x"
            return ByteBufUtil.getBytes(wire);
        } finally {
            wire.release();
        }
    }
}
