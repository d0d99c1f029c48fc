package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cairn.protocol.fuzz.InputBudget;
import io.cairn.protocol.message.Samples.SpecVersion;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of every request decoder, the way the broker meets them: frame value
 * to {@link RequestHeader#read}, {@link RequestCodec#check}, {@link RequestCodec#decode} (Jazzer).
 * In {@code mvn verify} the targets replay their committed seeds
 * ({@code src/test/resources/io/cairn/protocol/message/RequestDecoderFuzzTestInputs}), which hold a
 * valid request of every API; {@code reliability/fuzz.sh} fuzzes them for real.
 *
 * <p>Properties, per input: the only exception is {@link DecodeException}; every buffer the
 * decoder retained is released once the request (or the failure) is done with; and the input
 * stays within {@link InputBudget} (1 s, heap bounded by its size, not by what it claims).
 */
class RequestDecoderFuzzTest {
    private static final List<SpecVersion> SPECS = Samples.specVersions();

    static {
        // Class loading and first-call costs of each decoder are not the input's: pay them before measuring.
        java.util.Random random = new java.util.Random(1);
        for (int round = 0; round < 3; round++) {
            for (SpecVersion sv : SPECS) {
                for (Samples.Mode mode : Samples.Mode.values()) {
                    byte[] body = FuzzSeedCorpus.body(sv.spec().requestSchema(), sv.version(), mode, round);
                    decodeAsTheBrokerDoes(new Frame(sv.spec().apiKey().id(),
                            Unpooled.wrappedBuffer(requestValue(sv.version(), 1, "w", body))));
                    decodeAsTheBrokerDoes(new Frame(sv.spec().apiKey().id(),
                            Unpooled.wrappedBuffer(requestValue(sv.version(), 1, "w", Arrays.copyOf(body, body.length / 2)))));
                }
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                decodeAsTheBrokerDoes(new Frame(sv.spec().apiKey().id(), Unpooled.wrappedBuffer(noise)));
            }
        }
    }

    /** Input: {@code api:u8 body...}; {@code api} picks one of the (API, version) pairs Cairn speaks. */
    @FuzzTest(maxDuration = "30s")
    void everyRequestBodyDecodesOrIsRefused(byte[] input) {
        if (input.length < 1) {
            return;
        }
        SpecVersion sv = SPECS.get((input[0] & 0xFF) % SPECS.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] value = requestValue(sv.version(), 42, "fuzz", body);
        InputBudget.run(sv + " request", input.length, () -> {
            ByteBuf buffer = releasable(value);
            decodeAsTheBrokerDoes(new Frame(sv.spec().apiKey().id(), buffer));
            assertThat(buffer.refCnt()).as("%s: buffers left retained", sv).isZero();
        });
    }

    /** Input: {@code type:u16 value...}: any frame type, any header, any body. */
    @FuzzTest(maxDuration = "30s")
    void anyFrameValueDecodesOrIsRefused(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int type = ((input[0] & 0xFF) << 8) | (input[1] & 0xFF);
        InputBudget.run("frame type " + type, input.length, () -> {
            ByteBuf buffer = releasable(Arrays.copyOfRange(input, 2, input.length));
            decodeAsTheBrokerDoes(new Frame(type, buffer));
            assertThat(buffer.refCnt()).as("frame type %d: buffers left retained", type).isZero();
        });
    }

    /**
     * A buffer whose reference count can reach 0 (as a frame's slice of the receive buffer does);
     * {@code Unpooled.wrappedBuffer} of an empty array is the shared, never-released empty buffer.
     */
    private static ByteBuf releasable(byte[] bytes) {
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }

    private static void decodeAsTheBrokerDoes(Frame frame) {
        try {
            RequestHeader header;
            try {
                header = RequestHeader.read(frame);
            } catch (DecodeException unanswerable) {
                return; // the broker closes the connection
            }
            if (RequestCodec.check(header) != ErrorCode.NONE) {
                return; // answered UNSUPPORTED_VERSION without looking at the body
            }
            ApiRequest request;
            try {
                request = RequestCodec.decode(header, frame);
            } catch (DecodeException invalid) {
                assertThat(ErrorCode.forDecodeError(invalid.error())).isNotEqualTo(ErrorCode.NONE);
                assertThat(invalid.getMessage()).isNotBlank();
                return; // answered INVALID_REQUEST
            }
            assertThat(request.apiKey().id()).isEqualTo(header.apiKeyId());
            RequestCodec.release(request);
        } finally {
            frame.release();
        }
    }

    /** {@code apiVersion:u16 correlationId:i32 clientId:str? body}; a null client id is written as length 0xFFFF. */
    static byte[] requestValue(int version, int correlationId, String clientId, byte[] body) {
        byte[] id = clientId == null ? new byte[0] : clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuf value = Unpooled.buffer(8 + id.length + body.length);
        value.writeShort(version).writeInt(correlationId).writeShort(clientId == null ? 0xFFFF : id.length)
                .writeBytes(id).writeBytes(body);
        return Arrays.copyOf(value.array(), value.writerIndex());
    }
}
