package io.cairn.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's request and connection metrics, scraped from its Prometheus endpoint. */
class BrokerMetricsEndpointTest {
    @TempDir
    Path dir;

    @Test
    void requestsErrorsLatencyAndConnectionsAreExported() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir); RawClient client = broker.rawClient()) {
            for (int i = 0; i < 5; i++) {
                client.call(ApiSpecs.API_VERSIONS, new ApiVersionsRequest(null, null));
            }
            client.send(18, 99, new byte[0]); // unsupported version: an error
            client.receive();

            String text = scrape(broker.metricsUrl());

            assertThat(value(text, "cairn_requests_total\\{api=\"ApiVersions\"[^}]*}")).isEqualTo(6.0);
            assertThat(value(text, "cairn_request_errors_total\\{api=\"ApiVersions\"[^}]*}")).isEqualTo(1.0);
            assertThat(text).containsPattern("cairn_request_latency_seconds\\{api=\"ApiVersions\",quantile=\"0.99\"[^}]*} ");
            assertThat(value(text, "cairn_connections_open(\\{[^}]*})?")).isEqualTo(1.0);
            assertThat(value(text, "cairn_connections_accepted_total(\\{[^}]*})?")).isGreaterThanOrEqualTo(1.0);

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(broker.metricsUrl().replace("/metrics", "/health"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in:%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(m.groupCount()));
    }
}
