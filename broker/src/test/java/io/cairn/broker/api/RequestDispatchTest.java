package io.cairn.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.message.ApiVersionsResponse;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.wire.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request dispatch over a real socket: pipelining, out-of-order completion, errors, silent requests. */
class RequestDispatchTest {
    @TempDir
    Path dir;

    private ScriptedApis apis;
    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        apis = new ScriptedApis();
        broker = EmbeddedBroker.builder(dir.resolve("data")).extensions(() -> List.of(apis)).start();
    }

    @AfterEach
    void stop() {
        apis.parked.forEach(f -> f.complete(ScriptedApis.empty("park")));
        broker.close();
    }

    @Test
    void apiVersionsListsServedApisOnly() {
        try (RawClient client = broker.rawClient()) {
            ApiVersionsResponse response = client.call(ApiSpecs.API_VERSIONS, new ApiVersionsRequest("test", "1"));

            assertThat(response.error()).isEqualTo(ErrorCode.NONE);
            assertThat(response.apiKeys()).extracting(ApiVersionsResponse.ApiVersion::apiKey)
                    .contains((short) 18, (short) 0, (short) 1)
                    .doesNotContain((short) 68);
            assertThat(response.apiKeys()).filteredOn(v -> v.apiKey() == 18).singleElement()
                    .satisfies(v -> assertThat(v.minVersion()).isEqualTo((short) 0));
        }
    }

    @Test
    void aParkedRequestDoesNotHoldBackLaterOnesOnTheSameConnection() {
        try (RawClient client = broker.rawClient()) {
            int slow = client.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("park"));
            int fast1 = client.send(ApiSpecs.API_VERSIONS, 0, new ApiVersionsRequest(null, null));
            int fast2 = client.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("quick"));

            assertThat(client.receive().correlationId()).isEqualTo(fast1);
            assertThat(client.receive().correlationId()).isEqualTo(fast2);

            await("the parked fetch reached its handler").atMost(Duration.ofSeconds(10)).until(() -> !apis.parked.isEmpty());
            apis.parked.poll().complete(ScriptedApis.empty("park"));
            RawClient.Response late = client.receive();
            assertThat(late.correlationId()).isEqualTo(slow);
            assertThat(late.decode(ApiSpecs.FETCH, 0).topics()).extracting(FetchResponse.TopicResponse::name).containsExactly("park");
        }
    }

    @Test
    void aConnectionWaitingForAParkedResponseIsNotReapedAsIdle(@TempDir Path other) throws Exception {
        ScriptedApis scripted = new ScriptedApis();
        try (EmbeddedBroker idleBroker = EmbeddedBroker.builder(other).set("connections.max.idle.ms", "300")
                .extensions(() -> List.of(scripted)).start();
             RawClient waiting = idleBroker.rawClient()) {
            int id = waiting.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("park"));
            CompletableFuture<FetchResponse> parked = scripted.parked.poll(10, TimeUnit.SECONDS);
            assertThat(parked).as("parked fetch").isNotNull();

            // A connection opened after the request arrived is reaped after the waiting one's idle check has run.
            try (RawClient idle = idleBroker.rawClient()) {
                assertThat(idle.awaitClosedByPeer(Duration.ofSeconds(10))).isTrue();
            }
            parked.complete(ScriptedApis.empty("park"));
            assertThat(waiting.receive(ApiSpecs.FETCH, 0, id).error()).isEqualTo(ErrorCode.NONE);
        }
    }

    @Test
    void responsesCompletedFromAnotherThreadReachTheClient() throws Exception {
        try (RawClient client = broker.rawClient()) {
            int id = client.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("park"));
            CompletableFuture<FetchResponse> parked = apis.parked.poll(10, TimeUnit.SECONDS);
            assertThat(parked).as("parked fetch").isNotNull();

            Thread completer = new Thread(() -> parked.complete(ScriptedApis.empty("park")), "test-completer");
            completer.start();
            completer.join();

            assertThat(client.receive(ApiSpecs.FETCH, 0, id).error()).isEqualTo(ErrorCode.NONE);
        }
    }

    @Test
    void handlersRunOnTheEventLoopInArrivalOrder() {
        try (RawClient client = broker.rawClient()) {
            for (int i = 0; i < 50; i++) {
                client.send(ApiSpecs.PRODUCE, 0, ScriptedApis.produceRequest("t" + i, ProduceRequest.ACKS_NONE));
            }
            // acks=0 gets no response: the next response on the wire answers the next request
            int id = client.send(ApiSpecs.API_VERSIONS, 0, new ApiVersionsRequest(null, null));
            assertThat(client.receive().correlationId()).isEqualTo(id);

            assertThat(apis.produced).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, 50).mapToObj(i -> "t" + i).toList());
            client.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("quick"));
            client.receive();
            assertThat(apis.handlerThread.getName()).startsWith("cairn-network");
        }
    }

    @Test
    void aThrowingHandlerGetsUnknownServerErrorAndTheConnectionLivesOn() {
        try (RawClient client = broker.rawClient()) {
            for (String topic : List.of("throw", "fail", "null-field")) {
                int id = client.send(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest(topic));
                RawClient.Response response = client.receive();

                assertThat(response.correlationId()).isEqualTo(id);
                assertThat(response.errorCode()).as(topic).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR.code());
                assertThat(response.errorMessage()).as(topic).isNotBlank();
                assertThat(response.decode(ApiSpecs.FETCH, 0).error()).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
            }
            client.assertServes();
        }
    }

    @Test
    void recordsInAFileSliceArriveByteForByte(@TempDir Path files) throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Path path = files.resolve("segment.log");
        Files.write(path, content);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            apis.file = channel;
            try (RawClient client = broker.rawClient()) {
                for (int round = 0; round < 3; round++) {
                    FetchResponse response = client.call(ApiSpecs.FETCH, 0, ScriptedApis.fetchRequest("file"));
                    ByteBuffer records = response.topics().get(0).partitions().get(0).records().buffer().nioBuffer();
                    byte[] received = new byte[records.remaining()];
                    records.get(received);
                    assertThat(received).isEqualTo(content);
                }
            }
            assertThat(channel.isOpen()).as("the shared log file stays open after its regions are released").isTrue();
        }
    }

}
