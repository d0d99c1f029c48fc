package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cairn.protocol.message.Samples.Mode;
import io.cairn.protocol.message.Samples.SpecVersion;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Schema;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.Size;

/**
 * Bodies that are random, truncated or mutated never make a decoder throw anything but
 * {@link DecodeException}, and never make it allocate much more than the input's size: every
 * length is checked against the bytes that remain before anything is allocated for it.
 */
class DecodeFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * Java objects cost more than their wire bytes (a 4-byte int32 element becomes a boxed
     * Integer and a list slot; a 6-byte struct a record, a list and a String), and a thrown
     * exception costs its stack trace; the bound allows for both while catching any allocation
     * sized by a length field rather than by the input.
     */
    private static final int BYTES_PER_INPUT_BYTE = 64;
    private static final int FIXED_ALLOWANCE = 64 * 1024;

    private static volatile boolean measuring;

    /**
     * Decodes valid, truncated and random bodies of every API first, unmeasured: the first calls
     * load classes and spin method-handle adapters, allocations no later decode repeats.
     */
    @BeforeContainer
    static void warmUp() {
        Random random = new Random(0);
        for (int round = 0; round < 20; round++) {
            for (SpecVersion sv : Samples.specVersions()) {
                for (boolean response : new boolean[] {false, true}) {
                    byte[] body = validBody(sv, response, random.nextLong());
                    decodeOrReject(sv, response, body);
                    decodeOrReject(sv, response, java.util.Arrays.copyOf(body, random.nextInt(body.length + 1)));
                    byte[] noise = new byte[random.nextInt(64)];
                    random.nextBytes(noise);
                    decodeOrReject(sv, response, noise);
                }
            }
        }
        measuring = true;
    }

    @Provide
    Arbitrary<SpecVersion> specVersions() {
        return Arbitraries.of(Samples.specVersions());
    }

    @Property(tries = 3000)
    void randomBodiesDecodeOrFailWithDecodeException(@ForAll("specVersions") SpecVersion sv, @ForAll boolean response,
                                                     @ForAll @Size(max = 300) byte[] body) {
        decodeOrReject(sv, response, body);
    }

    @Property(tries = 1500)
    void everyStrictPrefixOfAValidRequestIsRejected(@ForAll("specVersions") SpecVersion sv, @ForAll long seed,
                                                    @ForAll @DoubleRange(max = 1.0, maxIncluded = false) double cut) {
        byte[] body = validBody(sv, false, seed);
        byte[] prefix = java.util.Arrays.copyOf(body, (int) (body.length * cut));
        if (decodeOrReject(sv, false, prefix)) {
            fail("%s accepted a %d-byte prefix of a %d-byte body", sv, prefix.length, body.length);
        }
    }

    @Property(tries = 1500)
    void truncatedResponsesAreRejectedUnlessTheyAreTheErrorOnlyForm(@ForAll("specVersions") SpecVersion sv, @ForAll long seed,
                                                                    @ForAll @DoubleRange(max = 1.0, maxIncluded = false) double cut) {
        byte[] body = validBody(sv, true, seed);
        byte[] prefix = java.util.Arrays.copyOf(body, (int) (body.length * cut));
        if (decodeOrReject(sv, true, prefix)) {
            ByteBuf in = Unpooled.wrappedBuffer(prefix);
            short errorCode = in.getShort(0);
            int messageLength = in.getUnsignedShort(2);
            assertThat(errorCode).as("only the error-only form decodes from a prefix").isNotZero();
            assertThat(prefix.length).isEqualTo(4 + (messageLength == 0xFFFF ? 0 : messageLength));
        }
    }

    @Property(tries = 3000)
    void mutatedValidBodiesDecodeOrFailWithDecodeException(@ForAll("specVersions") SpecVersion sv, @ForAll boolean response,
                                                           @ForAll long seed, @ForAll @Size(min = 1, max = 4) List<Integer> positions,
                                                           @ForAll byte value) {
        byte[] body = validBody(sv, response, seed);
        if (body.length == 0) {
            return;
        }
        for (int position : positions) {
            body[Math.floorMod(position, body.length)] = value;
        }
        decodeOrReject(sv, response, body);
    }

    @Example
    void hugeCountsInTinyBodiesAllocateNothingLikeTheirClaim() {
        for (SpecVersion sv : Samples.specVersions()) {
            for (boolean response : new boolean[] {false, true}) {
                // every 4-byte window claims 2^31-1; every 2-byte window claims a 65534-byte string
                byte[] body = new byte[64];
                for (int i = 0; i < body.length; i += 4) {
                    body[i] = 0x7F;
                    body[i + 1] = (byte) 0xFF;
                    body[i + 2] = (byte) 0xFF;
                    body[i + 3] = (byte) 0xFF;
                }
                decodeOrReject(sv, response, body);
            }
        }
    }

    /** Decodes, asserting the allowed outcomes and the allocation bound; true if it decoded. */
    private static boolean decodeOrReject(SpecVersion sv, boolean response, byte[] body) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Object decoded = null;
        try {
            decoded = response
                    ? sv.spec().decodeResponse(in, sv.version())
                    : sv.spec().decodeRequest(in, sv.version());
        } catch (DecodeException expected) {
            assertThat(expected.getMessage()).startsWith(sv.toString());
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(!measuring || allocated <= (long) body.length * BYTES_PER_INPUT_BYTE + FIXED_ALLOWANCE)
                .as("%s %s decoding %d bytes allocated %d bytes", sv, response ? "response" : "request", body.length, allocated)
                .isTrue();
        if (decoded != null) {
            release(sv.spec(), decoded, response);
            assertThat(in.refCnt()).as("releasing the message released every slice").isEqualTo(1);
        } else {
            assertThat(in.refCnt()).as("a failed decode released every slice it took").isEqualTo(1);
        }
        in.release();
        return decoded != null;
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> void release(
            ApiSpec<Q, R> spec, Object decoded, boolean response) {
        if (response) {
            spec.releaseResponse(spec.responseSchema().type().cast(decoded));
        } else {
            spec.releaseRequest(spec.requestSchema().type().cast(decoded));
        }
    }

    private static byte[] validBody(SpecVersion sv, boolean response, long seed) {
        return response
                ? body(sv.spec().responseSchema(), sv.version(), seed)
                : body(sv.spec().requestSchema(), sv.version(), seed);
    }

    private static <T extends Record> byte[] body(Schema<T> schema, int version, long seed) {
        Random random = new Random(seed);
        T value = Samples.value(schema, version, random, random.nextBoolean() ? Mode.FULL : Mode.RANDOM);
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
}
