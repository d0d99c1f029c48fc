package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.EncodeException;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameReader;
import io.cairn.protocol.wire.RequestHeader;
import io.cairn.protocol.wire.ResponseHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the broker and the client see when a frame is not what they expect. */
class CodecErrorsTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final FrameReader READER = new FrameReader(FrameDescriptor.DEFAULT_MAX_FRAME_BYTES);

    private static Frame requestFrame(int apiKey, int version, int correlationId, ByteBuf body) {
        ByteBuf value = Unpooled.buffer();
        value.writeShort(version).writeInt(correlationId).writeShort(3).writeBytes(new byte[] {'c', 'l', 'i'});
        value.writeBytes(body);
        body.release();
        return new Frame(apiKey, value);
    }

    @Test
    void unknownApiKeyIsDetectedBeforeTheBody() {
        Frame frame = requestFrame(4, 0, 77, Unpooled.buffer().writeZero(3));
        RequestHeader header = RequestHeader.read(frame);
        assertThat(header.correlationId()).isEqualTo(77);
        assertThat(RequestCodec.check(header)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> RequestCodec.decode(header, frame))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.error()).isEqualTo(DecodeError.UNKNOWN_API_KEY);
                    assertThat(ErrorCode.forDecodeError(e.error())).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
                })
                .hasMessage("request api key 4 v0 (correlationId=77, clientId=cli): api key 4 is not one Cairn speaks");
        frame.release();
    }

    @Test
    void unsupportedVersionIsDetectedBeforeTheBody() {
        Frame frame = requestFrame(ApiKey.METADATA.id(), 40, 5, Unpooled.buffer().writeByte(1));
        RequestHeader header = RequestHeader.read(frame);
        assertThat(RequestCodec.check(header)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> RequestCodec.decode(header, frame))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.UNSUPPORTED_VERSION))
                .hasMessage("Metadata v40: version 40 is not one of " + ApiSpecs.METADATA.versions());
        frame.release();
    }

    @Test
    void brokenProduceBodyNamesApiVersionFieldAndReleasesWhatItRetained() {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(1).writeInt(1000);               // acks, timeoutMs
        body.writeInt(1);                                // one topic
        body.writeShort(1).writeByte('t');               // name
        body.writeInt(2);                                // two partitions
        body.writeInt(0).writeInt(3).writeBytes(new byte[] {1, 2, 3});
        body.writeInt(1).writeInt(Integer.MAX_VALUE).writeZero(37);
        Frame frame = requestFrame(ApiKey.PRODUCE.id(), 0, 9, body);
        RequestHeader header = RequestHeader.read(frame);
        assertThat(RequestCodec.check(header)).isEqualTo(ErrorCode.NONE);
        assertThatThrownBy(() -> RequestCodec.decode(header, frame))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.error()).isEqualTo(DecodeError.LENGTH_EXCEEDS_REMAINING);
                    assertThat(e.fieldPath()).isEqualTo("topics[0].partitions[1].records");
                    assertThat(e.context()).isEqualTo("Produce v0");
                })
                .hasMessage("Produce v0: field topics[0].partitions[1].records: length 2147483647 exceeds remaining 37 bytes");
        assertThat(frame.value().refCnt()).as("partition 0's retained slice was released").isEqualTo(1);
        frame.release();
    }

    @Test
    void trailingBytesAreAnError() {
        Frame frame = requestFrame(ApiKey.API_VERSIONS.id(), 0, 1, Unpooled.buffer().writeShort(0xFFFF).writeShort(0xFFFF).writeByte(0));
        RequestHeader header = RequestHeader.read(frame);
        assertThatThrownBy(() -> RequestCodec.decode(header, frame))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.TRAILING_BYTES))
                .hasMessage("ApiVersions v0: 1 bytes remain after the last field");
        frame.release();
    }

    @Test
    void errorOnlyResponseDecodesForAnyApiWithDefaults() {
        for (ApiSpec<?, ?> spec : ApiSpecs.all()) {
            EncodedFrame encoded = ResponseCodec.encodeError(ALLOC, spec.apiKey().id(), 31, ErrorCode.INVALID_REQUEST, "bad body");
            ByteBuf wire = encoded.toByteBuf(ALLOC);
            Frame frame = (Frame) READER.read(wire);
            assertThat(ResponseHeader.read(frame)).isEqualTo(new ResponseHeader(spec.apiKey().id(), 31));
            ApiResponse response = ResponseCodec.decode(frame, spec.latestVersion());
            assertThat(response.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(response.errorMessage()).isEqualTo("bad body");
            assertThat(response).isEqualTo(spec.errorResponse(ErrorCode.INVALID_REQUEST, "bad body"));
            frame.release();
            wire.release();
        }
    }

    @Test
    void errorOnlyResponseForAnUnknownApiKeyCarriesTheKeyAndCorrelationId() {
        EncodedFrame encoded = ResponseCodec.encodeError(ALLOC, 4, 8, ErrorCode.UNSUPPORTED_VERSION, null);
        assertThat(encoded.frameLength()).isEqualTo(FrameDescriptor.HEADER_LENGTH + 4 + 2 + 2);
        ByteBuf wire = encoded.toByteBuf(ALLOC);
        Frame frame = (Frame) READER.read(wire);
        assertThat(frame.type()).isEqualTo(0x8004);
        assertThat(ResponseHeader.read(frame).correlationId()).isEqualTo(8);
        assertThat(frame.value().readShort()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION.code());
        assertThatThrownBy(() -> ResponseCodec.decode(frame, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.UNKNOWN_API_KEY));
        frame.release();
        wire.release();
    }

    @Test
    void aFullResponseWithAnErrorIsNotMistakenForTheErrorOnlyForm() {
        MetadataResponse full = new MetadataResponse(ErrorCode.REQUEST_TIMED_OUT.code(), "slow", List.of(), null, List.of());
        ByteBuf wire = ResponseCodec.encode(ALLOC, full, 0, 1).toByteBuf(ALLOC);
        Frame frame = (Frame) READER.read(wire);
        ResponseHeader.read(frame);
        assertThat(ResponseCodec.decode(frame, 0)).isEqualTo(full);
        frame.release();
        wire.release();
    }

    @Test
    void encodingNamesTheApiAndFieldAndReleasesItsBuffer() {
        ProduceRequest bad = new ProduceRequest((short) 1, 100, List.of(new ProduceRequest.TopicData(null, List.of())));
        assertThatThrownBy(() -> RequestCodec.encode(ALLOC, bad, 0, 1, null))
                .isInstanceOf(EncodeException.class)
                .hasMessage("Produce v0: field topics[0].name: null is not allowed for non-nullable str");
        assertThatThrownBy(() -> RequestCodec.encode(ALLOC, bad, 9, 1, null))
                .isInstanceOf(EncodeException.class)
                .hasMessage("Produce v9: version 9 is not one of " + ApiSpecs.PRODUCE.versions());
    }

    @Test
    void apiVersionsResponseListsEverySpec() {
        ApiVersionsResponse response = ApiVersionsResponse.ofSupported();
        assertThat(response.apiKeys()).hasSize(ApiSpecs.all().size());
        assertThat(response.apiKeys()).extracting(ApiVersionsResponse.ApiVersion::apiKey)
                .isSorted()
                .contains((short) ApiKey.PRODUCE.id(), (short) ApiKey.API_VERSIONS.id());
    }
}
