package io.cairn.client.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.NetworkException;
import io.cairn.client.errors.TimeoutException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NetworkClientTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private NetworkClient client(int requestTimeoutMs) {
        NetworkClient c = new NetworkClient(new NetworkSettings("test-client", requestTimeoutMs, 2000, 20, 200, 1 << 16),
                "test-net", registry, Tags.of("client", "test"));
        toClose.add(c);
        return c;
    }

    private FakeFrameServer server(FakeFrameServer.Behaviour b) {
        FakeFrameServer s = new FakeFrameServer(b);
        toClose.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void runsOnTheNativeEpollTransportOnLinux() throws Exception {
        FakeFrameServer server = server(r -> r.respond(r.body()));
        NetworkClient client = client(10_000);
        assertThat(client.transport()).as("netty's native epoll library loads from the classpath").isEqualTo(Transport.EPOLL);
        assertThat(client.send(server.address(), new EchoRequest(1, bytes("over epoll"))).get(10, TimeUnit.SECONDS))
                .isEqualTo(bytes("over epoll"));
    }

    @Test
    void largeResponsesSpanningManyReadsArriveWhole() throws Exception {
        FakeFrameServer server = server(r -> r.respond(new byte[60_000 + r.body()[0]]));
        NetworkClient client = client(10_000);
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(client.send(server.address(), new EchoRequest(1, new byte[] {(byte) i})));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(responses.get(i).get(10, TimeUnit.SECONDS)).as("response %d", i).hasSize(60_000 + i);
        }
    }

    @Test
    void writesTheRequestHeaderAndMatchesResponses() throws Exception {
        FakeFrameServer server = server(r -> r.respond(("re:" + new String(r.body(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
        NetworkClient client = client(5000);
        byte[] answer = client.send(server.address(), new EchoRequest(7, bytes("hello"))).get(10, TimeUnit.SECONDS);
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("re:hello");
        FakeFrameServer.Request seen = server.received.get(0);
        assertThat(seen.apiKey()).isEqualTo(7);
        assertThat(seen.apiVersion()).isEqualTo(3);
        assertThat(seen.clientId()).isEqualTo("test-client");
        assertThat(registry.get("cairn.client.requests.sent").tag("api", "7").counter().count()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsGetTheirOwnResponsesEvenOutOfOrder() throws Exception {
        List<FakeFrameServer.Request> held = new ArrayList<>();
        FakeFrameServer server = server(r -> {
            held.add(r);
            if (held.size() == 20) {
                for (int i = held.size() - 1; i >= 0; i--) {
                    held.get(i).respond(held.get(i).body());
                }
            }
        });
        NetworkClient client = client(10_000);
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(client.send(server.address(), new EchoRequest(1, bytes("req-" + i))));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(new String(futures.get(i).get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("req-" + i);
        }
        assertThat(server.connections.get()).as("one connection carries all requests").isEqualTo(1);
    }

    @Test
    void unansweredRequestTimesOutAndClosesTheConnection() {
        FakeFrameServer server = server(r -> {
            if (r.apiKey() == 2) {
                r.respond(new byte[0]);
            }
        });
        NetworkClient client = client(300);
        CompletableFuture<byte[]> slow = client.send(server.address(), new EchoRequest(1, bytes("x")), 200);
        CompletableFuture<byte[]> other = client.send(server.address(), new EchoRequest(1, bytes("y")), 5000);
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("not answered within 200 ms");
        assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NetworkException.class);
        // The client reconnects for the next request.
        await("next request answered").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.send(server.address(), new EchoRequest(2, new byte[0])).get(5, TimeUnit.SECONDS))
                        .isEmpty());
        assertThat(server.connections.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void lostConnectionFailsRequestsInFlightAndReconnects() throws Exception {
        List<FakeFrameServer.Request> held = new ArrayList<>();
        FakeFrameServer server = server(r -> {
            if (r.apiKey() == 9) {
                held.add(r); // never answered
            } else {
                r.respond(r.body());
            }
        });
        NetworkClient client = client(10_000);
        CompletableFuture<byte[]> pending = client.send(server.address(), new EchoRequest(9, bytes("z")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.received.size() == 1);
        server.dropConnections();
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NetworkException.class)
                .hasMessageContaining("lost");
        assertThat(client.send(server.address(), new EchoRequest(1, bytes("again"))).get(10, TimeUnit.SECONDS))
                .isEqualTo(bytes("again"));
    }

    @Test
    void requestsWaitForABrokerThatComesBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NetworkClient client = client(10_000);
        BrokerAddress address = new BrokerAddress("127.0.0.1", port);
        CompletableFuture<byte[]> queued = client.send(address, new EchoRequest(1, bytes("late")));
        await("a few failed connects").atMost(Duration.ofSeconds(10)).until(() -> client.lastError(address) != null);
        assertThat(queued).isNotDone();
        assertThat(client.state(address)).isNotEqualTo(ConnectionState.READY);
        try (FakeFrameServer server = new FakeFrameServer(port, r -> r.respond(r.body()))) {
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(bytes("late"));
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void requestForAnUnreachableBrokerTimesOutNamingTheCause() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NetworkClient client = client(10_000);
        CompletableFuture<byte[]> f = client.send(new BrokerAddress("127.0.0.1", port), new EchoRequest(1, bytes("x")), 300);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("not sent within 300 ms: no connection");
    }

    @Test
    void oversizedResponseFrameClosesTheConnection() {
        FakeFrameServer server = server(r -> r.respond(new byte[(1 << 16) + 100]));
        NetworkClient client = client(10_000);
        CompletableFuture<byte[]> f = client.send(server.address(), new EchoRequest(1, bytes("x")));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NetworkException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void requestWithoutResponseCompletesOnceWritten() throws Exception {
        FakeFrameServer server = server(r -> { });
        NetworkClient client = client(10_000);
        assertThat(client.send(server.address(), new EchoRequest(1, bytes("fire"), false)).get(10, TimeUnit.SECONDS))
                .isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.received.size() == 1);
    }

    @Test
    void closeFailsPendingRequests() throws Exception {
        FakeFrameServer server = server(r -> { });
        NetworkClient client = client(10_000);
        CompletableFuture<byte[]> f = client.send(server.address(), new EchoRequest(1, bytes("x")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.received.size() == 1);
        client.close();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ClientClosedException.class);
        assertThat(client.send(server.address(), new EchoRequest(1, bytes("x")))).isCompletedExceptionally();
    }
}
