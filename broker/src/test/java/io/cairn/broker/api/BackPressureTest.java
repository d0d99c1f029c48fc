package io.cairn.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.wire.EncodedFrame;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that pipelines requests for large responses and does not read them: the broker stops
 * processing its requests once max.unsent.response.bytes are queued (the socket buffers full),
 * instead of building every response; reading resumes as the client catches up.
 */
class BackPressureTest {
    private static final int REQUESTS = 60;
    private static final int RESPONSE_BYTES = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aClientThatDoesNotReadStopsBeingServedUntilItDoes() throws Exception {
        byte[] content = new byte[RESPONSE_BYTES];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("segment.log");
        Files.write(file, content);
        ScriptedApis apis = new ScriptedApis();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             EmbeddedBroker broker = EmbeddedBroker.builder(dir.resolve("data")).set("max.unsent.response.bytes", "65536")
                     .extensions(() -> List.of(apis)).start();
             RawClient client = broker.rawClient()) {
            apis.file = channel;
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                EncodedFrame frame = ApiSpecs.FETCH.encodeRequest(UnpooledByteBufAllocator.DEFAULT,
                        ScriptedApis.fetchRequest("file"), 0, i, "slow-reader");
                requests.write(RawClient.bytes(frame));
            }
            client.sendRaw(requests.toByteArray()); // all requests in one write, responses left unread

            await("the broker stops reading from the connection").atMost(Duration.ofSeconds(20))
                    .until(() -> broker.broker().pausedConnections() == 1);
            int servedWhilePaused = apis.fetchCalls.get();
            assertThat(servedWhilePaused).as("requests processed before back-pressure stopped them").isLessThan(REQUESTS);

            for (int i = 0; i < REQUESTS; i++) {
                FetchResponse response = client.receive(ApiSpecs.FETCH, 0, i);
                assertThat(response.topics().get(0).partitions().get(0).records().sizeInBytes()).isEqualTo(RESPONSE_BYTES);
            }
            assertThat(apis.fetchCalls.get()).isEqualTo(REQUESTS);
            await("reading resumed").atMost(Duration.ofSeconds(10)).until(() -> broker.broker().pausedConnections() == 0);
        }
    }
}
