package io.cairn.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BrokerMetrics metrics;
    private BrokerHealth health;
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        metrics = BrokerMetrics.prometheus();
        health = new BrokerHealth();
        server = MetricsServer.start("127.0.0.1", 0, metrics::scrape, health);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextOnAnyFreePort() throws Exception {
        assertThat(server.port()).isPositive();
        metrics.recordIn("orders", 10, 1);
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).contains("cairn_bytes_in_total{topic=\"orders\"} 10.0").contains("jvm_memory_used_bytes");
    }

    @Test
    void healthFollowsTheBrokerState() throws Exception {
        HttpResponse<String> starting = send("GET", "/health");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).isEqualTo("not serving: starting\n");

        health.markServing();
        HttpResponse<String> ok = send("GET", "/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");

        health.markNotServing("shutting down");
        assertThat(send("GET", "/health").body()).isEqualTo("not serving: shutting down\n");
        assertThat(health.isServing()).isFalse();
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metricsx").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(503);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aFailingGaugeIsReportedAsNaNWithoutFailingTheScrape() throws Exception {
        metrics.bindPartitionCount(() -> {
            throw new IllegalStateException("storage closed");
        });
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("cairn_partitions NaN");
    }

    @Test
    void aFailingScrapeGivesA500AndTheEndpointKeepsServing() throws Exception {
        try (MetricsServer broken = MetricsServer.start("127.0.0.1", 0, () -> {
            throw new IllegalStateException("registry closed");
        }, health)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("registry closed");
            HttpRequest again = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port() + "/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThat(client.send(again, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aPortInUseIsAClearError() {
        assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", server.port(), metrics::scrape, health))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind the metrics endpoint to 127.0.0.1:" + server.port() + " (metrics.port)");
    }
}
