package io.cairn.cli.topics;

import io.cairn.client.TopicPartition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sizes on disk and segment counts of partition logs, read from the broker's metrics endpoint
 * ({@code cairn_log_size_bytes} and {@code cairn_log_segments}, labelled by topic and partition):
 * the wire protocol has no request for them yet. Immutable once read.
 *
 * @param sizeBytes bytes on disk per partition
 * @param segments  segment count per partition
 */
record LogSizes(Map<TopicPartition, Long> sizeBytes, Map<TopicPartition, Long> segments) {
    static final String SIZE_METRIC = "cairn_log_size_bytes";
    static final String SEGMENTS_METRIC = "cairn_log_segments";

    static LogSizes none() {
        return new LogSizes(Map.of(), Map.of());
    }

    /**
     * Scrapes {@code metricsUrl}, waiting at most {@code timeout}.
     *
     * @throws IOException when the endpoint cannot be reached or answers other than 200
     */
    static LogSizes scrape(URI metricsUrl, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metricsUrl).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metricsUrl + " answered HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    /** Reads the two metrics from Prometheus text exposition format; other lines are skipped. */
    static LogSizes parse(String exposition) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        Map<TopicPartition, Long> segments = new HashMap<>();
        for (String line : exposition.split("\n")) {
            Map<TopicPartition, Long> target = line.startsWith(SIZE_METRIC + "{") ? sizes
                    : line.startsWith(SEGMENTS_METRIC + "{") ? segments : null;
            if (target == null) {
                continue;
            }
            int open = line.indexOf('{');
            int close = line.lastIndexOf('}');
            if (close < open) {
                continue;
            }
            Map<String, String> labels = labels(line.substring(open + 1, close));
            String topic = labels.get("topic");
            String partition = labels.get("partition");
            String value = line.substring(close + 1).trim().split("\\s+")[0];
            try {
                target.put(new TopicPartition(topic, Integer.parseInt(partition)), (long) Double.parseDouble(value));
            } catch (RuntimeException e) {
                // a line this parser does not understand: leave the partition's value unknown
            }
        }
        return new LogSizes(sizes, segments);
    }

    /** Parses {@code a="x",b="y\"z",} with Prometheus' escapes (backslash, quote, newline). */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                break;
            }
            String name = text.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    char e = text.charAt(++j);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            labels.put(name, value.toString());
            i = j + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }

    /** Bytes on disk of {@code tp}, or null when unknown. */
    Long sizeOf(TopicPartition tp) {
        return sizeBytes.get(tp);
    }

    /** Segments of {@code tp}, or null when unknown. */
    Long segmentsOf(TopicPartition tp) {
        return segments.get(tp);
    }
}
