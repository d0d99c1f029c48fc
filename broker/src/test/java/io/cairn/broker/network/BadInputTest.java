package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsResponse;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input over a real socket: each gets its defined answer (an error response, or
 * the connection closed and the event logged), and afterwards the broker still serves a normal
 * client, a connection opened before the bad one is undisturbed, and nothing stored changed.
 */
class BadInputTest {
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static EmbeddedBroker broker;
    private static RawClient bystander;

    @BeforeAll
    static void start() {
        // Core APIs only, so "an API this broker does not serve" stays true whatever extensions exist.
        broker = EmbeddedBroker.builder(dir).set("max.frame.bytes", Integer.toString(MAX_FRAME_BYTES))
                .set("message.max.bytes", Integer.toString(MAX_FRAME_BYTES - 4096))
                .extensions(List::of).start();
        broker.createTopic("keep", 1);
        bystander = broker.rawClient();
        bystander.assertServes();
    }

    @AfterAll
    static void stop() {
        bystander.close();
        broker.close();
    }

    @AfterEach
    void brokerStillServesEveryone() {
        bystander.assertServes();
        try (RawClient fresh = broker.rawClient()) {
            fresh.assertServes();
        }
        assertThat(broker.broker().topics().liveTopics()).extracting(t -> t.name()).containsExactly("keep");
    }

    // ---- frames that cannot be answered: the connection is closed --------------------------

    @Test
    void aFrameLongerThanMaxFrameBytesClosesTheConnectionBeforeAnythingIsBuffered() {
        long badFramesBefore = broker.broker().networkEvents().badFrames();
        try (RawClient client = broker.rawClient()) {
            client.sendRaw(header(18, 1L << 30));
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
        assertThat(broker.broker().networkEvents().badFrames()).isEqualTo(badFramesBefore + 1);
    }

    @Test
    void aFrameJustOverTheLimitIsRefusedAndOneAtTheLimitIsRead() {
        try (RawClient client = broker.rawClient()) {
            client.sendRaw(header(18, MAX_FRAME_BYTES + 1));
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
        try (RawClient client = broker.rawClient()) {
            byte[] value = RawClient.requestValue(0, 5, "c", new byte[0]);
            byte[] padded = Arrays.copyOf(value, MAX_FRAME_BYTES);
            client.sendFrame(18, padded);
            RawClient.Response response = client.receive();
            assertThat(response.correlationId()).isEqualTo(5);
            assertThat(response.errorCode()).as("trailing bytes after the body").isEqualTo(ErrorCode.INVALID_REQUEST.code());
        }
    }

    @Test
    void aNegativeLengthClosesTheConnection() {
        try (RawClient client = broker.rawClient()) {
            client.sendRaw(header(18, 0xFFFF_FFFFL));
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void garbageClosesTheConnection() {
        try (RawClient client = broker.rawClient()) {
            client.sendRaw("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void aHeaderShorterThanItsFieldsClosesTheConnection() {
        try (RawClient client = broker.rawClient()) {
            client.sendFrame(18, new byte[] {0, 0, 0});
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
        try (RawClient client = broker.rawClient()) {
            // client id claims 200 bytes, 2 follow
            client.sendFrame(18, new byte[] {0, 0, 0, 0, 0, 1, 0, (byte) 200, 'a', 'b'});
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void aResponseFrameFromAClientClosesTheConnection() {
        try (RawClient client = broker.rawClient()) {
            client.sendFrame(0x8000 | 18, RawClient.requestValue(0, 1, "c", new byte[4]));
            assertThat(client.awaitClosedByPeer(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void aClientVanishingMidFrameLeavesNoTrace() {
        try (RawClient client = broker.rawClient()) {
            byte[] frame = RawClient.apiVersionsFrame(1);
            client.sendRaw(Arrays.copyOf(frame, frame.length / 2));
        }
        await("the half-sent connection is gone").atMost(CLOSE_WAIT).until(() -> broker.broker().openConnections() == 1);
    }

    // ---- frames that can be answered: an error response, and the connection lives on --------

    @Test
    void anUnknownApiKeyIsUnsupportedVersion() {
        try (RawClient client = broker.rawClient()) {
            client.send(999, 0, 7, new byte[] {1, 2, 3});
            RawClient.Response response = client.receive();

            assertThat(response.type()).isEqualTo(0x8000 | 999);
            assertThat(response.correlationId()).isEqualTo(7);
            assertThat(response.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION.code());
            assertThat(response.errorMessage()).contains("999");
            client.assertServes();
        }
    }

    @Test
    void aKnownApiThisBrokerDoesNotServeIsUnsupportedVersion() {
        try (RawClient client = broker.rawClient()) {
            // ConsumerGroupHeartbeat (68) is in the protocol; no group coordinator runs in this broker
            client.send(68, 0, 8, new byte[0]);
            RawClient.Response response = client.receive();
            assertThat(response.correlationId()).isEqualTo(8);
            assertThat(response.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION.code());
            client.assertServes();
        }
    }

    @Test
    void anUnsupportedVersionIsUnsupportedVersionInErrorOnlyForm() {
        try (RawClient client = broker.rawClient()) {
            client.send(18, 9, 11, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            RawClient.Response response = client.receive();

            assertThat(response.correlationId()).isEqualTo(11);
            ApiVersionsResponse decoded = response.decode(ApiSpecs.API_VERSIONS, 0);
            assertThat(decoded.error()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(decoded.errorMessage()).contains("v9");
            client.assertServes();
        }
    }

    @Test
    void aTruncatedBodyIsInvalidRequestNamingTheFieldAndCreatesNothing() {
        byte[] body = body(ApiSpecs.CREATE_TOPICS.encodeRequest(UnpooledByteBufAllocator.DEFAULT,
                new CreateTopicsRequest(List.of(new CreateTopicsRequest.CreatableTopic("truncated", 3, (short) -1,
                        List.of(new CreateTopicsRequest.Config("retention.ms", "1000")))), 1000, false), 0, 1, "c"));
        try (RawClient client = broker.rawClient()) {
            // cut inside the last config value: 1 (validateOnly) + 4 (timeoutMs) + 3 of the 4 bytes of "1000"
            client.send(19, 0, 21, Arrays.copyOf(body, body.length - 8));
            RawClient.Response response = client.receive();

            assertThat(response.correlationId()).isEqualTo(21);
            assertThat(response.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
            assertThat(response.errorMessage()).contains("CreateTopics v0").contains("topics[0]");
            client.assertServes();
        }
        assertThat(broker.broker().topics().liveTopic("truncated")).isEmpty();
    }

    @Test
    void anArrayLengthBeyondTheFrameIsInvalidRequestWithoutAllocatingIt() {
        // Metadata v0: topics array claiming 2^31-1 entries, then nothing
        try (RawClient client = broker.rawClient()) {
            client.send(3, 0, 31, new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            RawClient.Response response = client.receive();

            assertThat(response.correlationId()).isEqualTo(31);
            assertThat(response.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
            client.assertServes();
        }
    }

    @Test
    void trailingBytesAreInvalidRequest() {
        try (RawClient client = broker.rawClient()) {
            client.send(18, 0, 41, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 42});
            RawClient.Response response = client.receive();
            assertThat(response.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
            assertThat(response.errorMessage()).contains("remain");
            client.assertServes();
        }
    }

    // ---- awkward but valid input ---------------------------------------------------------------

    @Test
    void aFrameTrickledOneByteAtATimeIsAnswered() {
        try (RawClient client = broker.rawClient()) {
            for (byte b : RawClient.apiVersionsFrame(51)) {
                client.sendRaw(new byte[] {b});
            }
            RawClient.Response response = client.receive();
            assertThat(response.correlationId()).isEqualTo(51);
            assertThat(response.errorCode()).isEqualTo(ErrorCode.NONE.code());
        }
    }

    @Test
    void manyRequestsInOneWriteAreAnsweredInOrder() {
        int n = 500;
        ByteBuffer all = ByteBuffer.allocate(n * RawClient.apiVersionsFrame(0).length);
        for (int i = 0; i < n; i++) {
            all.put(RawClient.apiVersionsFrame(1000 + i));
        }
        try (RawClient client = broker.rawClient()) {
            client.sendRaw(all.array());
            for (int i = 0; i < n; i++) {
                assertThat(client.receive().correlationId()).isEqualTo(1000 + i);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------


    private static byte[] header(int type, long length) {
        return ByteBuffer.allocate(6).putShort((short) type).putInt((int) length).array();
    }



    /** The body of an encoded request: after the frame header, version, correlation id and client id. */
    private static byte[] body(EncodedFrame frame) {
        byte[] all = RawClient.bytes(frame);
        ByteBuffer b = ByteBuffer.wrap(all);
        b.position(6 + 2 + 4);
        int clientIdLength = Short.toUnsignedInt(b.getShort());
        int start = b.position() + (clientIdLength == 0xFFFF ? 0 : clientIdLength);
        return Arrays.copyOfRange(all, start, all.length);
    }
}
