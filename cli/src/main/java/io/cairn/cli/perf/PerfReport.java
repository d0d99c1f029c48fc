package io.cairn.cli.perf;

import io.cairn.cli.common.JsonWriter;
import java.util.Locale;
import java.util.Map;

/**
 * The text the perf tools print, in the shape of Kafka's {@code kafka-producer-perf-test} so the
 * same scripts read both:
 *
 * <pre>
 * 49976 records sent, 9995.2 records/sec (9.53 MB/sec), 2.1 ms avg latency, 31.0 ms max latency.
 * 100000 records sent, 9998.800144 records/sec (9.54 MB/sec), 2.08 ms avg latency, 31.00 ms max latency, 1.87 ms 50th, 3.41 ms 95th, 6.02 ms 99th, 28.51 ms 99.9th.
 * RESULT {"tool":"produce","records":100000,...}
 * </pre>
 *
 * The verb is "sent" for perf produce and "received" for perf consume and e2e. Percentiles carry
 * two decimals where Kafka rounds to whole milliseconds: a local broker answers in less than one.
 * Stateless.
 */
public final class PerfReport {
    /** Prefix of the machine-readable line. */
    public static final String RESULT_PREFIX = "RESULT ";

    private PerfReport() {
    }

    /** A progress line for one window. */
    public static String windowLine(PerfStats.Window w, String verb) {
        return String.format(Locale.ROOT, "%d records %s, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.",
                w.records(), verb, w.recordsPerSec(), w.mbPerSec(), w.avgLatencyMs(), w.maxLatencyMs());
    }

    /** The final summary line. */
    public static String summaryLine(PerfStats.Summary s, String verb) {
        return String.format(Locale.ROOT, "%d records %s, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                        + "%.2f ms 50th, %.2f ms 95th, %.2f ms 99th, %.2f ms 99.9th.",
                s.records(), verb, s.recordsPerSec(), s.mbPerSec(), s.avgLatencyMs(), s.maxLatencyMs(),
                s.p50Ms(), s.p95Ms(), s.p99Ms(), s.p999Ms());
    }

    /**
     * The {@code RESULT {json}} line: the tool, the run's settings ({@code settings}, values as
     * strings or numbers) and the summary. Field names are documented in docs/cli.md.
     */
    public static String resultLine(String tool, Map<String, Object> settings, PerfStats.Summary s) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("tool").value(tool);
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            json.name(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                json.nullValue();
            } else if (v instanceof Integer || v instanceof Long) {
                json.value(((Number) v).longValue());
            } else if (v instanceof Number n) {
                json.value(n.doubleValue());
            } else if (v instanceof Boolean b) {
                json.value(b);
            } else {
                json.value(v.toString());
            }
        }
        json.name("records").value(s.records())
                .name("bytes").value(s.bytes())
                .name("errors").value(s.errors())
                .name("measured").value(s.measured())
                .name("elapsedMs").value(round(s.elapsedMs(), 3))
                .name("recordsPerSec").value(round(s.recordsPerSec(), 3))
                .name("mbPerSec").value(round(s.mbPerSec(), 3))
                .name("latencyAvgMs").value(round(s.avgLatencyMs(), 3))
                .name("latencyP50Ms").value(round(s.p50Ms(), 3))
                .name("latencyP95Ms").value(round(s.p95Ms(), 3))
                .name("latencyP99Ms").value(round(s.p99Ms(), 3))
                .name("latencyP999Ms").value(round(s.p999Ms(), 3))
                .name("latencyMaxMs").value(round(s.maxLatencyMs(), 3))
                .endObject();
        return RESULT_PREFIX + json;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
