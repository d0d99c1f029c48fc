package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.message.Samples.Mode;
import io.cairn.protocol.message.Samples.SpecVersion;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameReader;
import io.cairn.protocol.wire.RequestHeader;
import io.cairn.protocol.wire.ResponseHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every request and response of every API and version: encode, frame, decode, compare. */
class RoundTripTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final FrameReader READER = new FrameReader(FrameDescriptor.DEFAULT_MAX_FRAME_BYTES);

    static Stream<Arguments> cases() {
        List<SpecVersion> all = Samples.specVersions();
        return all.stream().flatMap(sv -> Stream.of(
                Arguments.of(sv, Mode.EMPTY, 1L),
                Arguments.of(sv, Mode.FULL, 2L),
                Arguments.of(sv, Mode.FULL, 3L),
                Arguments.of(sv, Mode.RANDOM, 4L),
                Arguments.of(sv, Mode.RANDOM, 5L),
                Arguments.of(sv, Mode.RANDOM, 6L)));
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("cases")
    void requestRoundTrips(SpecVersion sv, Mode mode, long seed) {
        requestRoundTrip(sv.spec(), sv.version(), new Random(seed), mode);
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("cases")
    void responseRoundTrips(SpecVersion sv, Mode mode, long seed) {
        responseRoundTrip(sv.spec(), sv.version(), new Random(seed), mode);
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> void requestRoundTrip(
            ApiSpec<Q, R> spec, int version, Random random, Mode mode) {
        Schema<Q> schema = spec.requestSchema();
        Q request = Samples.value(schema, version, random, mode);
        int correlationId = random.nextInt();
        EncodedFrame encoded = RequestCodec.encode(ALLOC, request, version, correlationId, "client-" + version);
        ByteBuf wire = encoded.toByteBuf(ALLOC);
        try {
            assertThat(wire.readableBytes()).isEqualTo(encoded.frameLength());
            Frame frame = (Frame) READER.read(wire);
            assertThat(wire.isReadable()).as("the frame reader consumed exactly one frame").isFalse();
            assertThat(frame.apiKeyId()).isEqualTo(spec.apiKey().id());
            ApiRequest decoded;
            try {
                RequestHeader header = RequestHeader.read(frame);
                assertThat(header).isEqualTo(new RequestHeader(spec.apiKey().id(), version, correlationId, "client-" + version));
                assertThat(RequestCodec.check(header)).isEqualTo(io.cairn.protocol.wire.ErrorCode.NONE);
                decoded = RequestCodec.decode(header, frame);
            } finally {
                frame.release();
            }
            assertThat(decoded).isEqualTo(request);
            RequestCodec.release(decoded);
        } finally {
            wire.release();
            schema.release(request);
        }
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> void responseRoundTrip(
            ApiSpec<Q, R> spec, int version, Random random, Mode mode) {
        Schema<R> schema = spec.responseSchema();
        R response = Samples.value(schema, version, random, mode);
        int correlationId = random.nextInt();
        EncodedFrame encoded = ResponseCodec.encode(ALLOC, response, version, correlationId);
        ByteBuf wire = encoded.toByteBuf(ALLOC);
        try {
            assertThat(wire.readableBytes()).isEqualTo(encoded.frameLength());
            Frame frame = (Frame) READER.read(wire);
            assertThat(wire.isReadable()).isFalse();
            ApiResponse decoded;
            try {
                ResponseHeader header = ResponseHeader.read(frame);
                assertThat(header).isEqualTo(new ResponseHeader(spec.apiKey().id(), correlationId));
                decoded = ResponseCodec.decode(frame, version);
            } finally {
                frame.release();
            }
            assertThat(decoded).isEqualTo(response);
            ResponseCodec.release(decoded);
        } finally {
            wire.release();
            schema.release(response);
        }
    }
}
