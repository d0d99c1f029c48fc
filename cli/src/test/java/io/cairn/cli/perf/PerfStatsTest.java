package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerfStatsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void summaryPercentilesMatchASortedOracle() {
        PerfStats stats = new PerfStats(0);
        Random random = new Random(42);
        long[] latenciesMicros = new long[10_000];
        for (int i = 0; i < latenciesMicros.length; i++) {
            latenciesMicros[i] = 50 + random.nextInt(20_000);
            stats.record(100, latenciesMicros[i] * 1000);
        }
        Arrays.sort(latenciesMicros);

        PerfStats.Summary s = stats.summary(2_000 * MS);

        assertThat(s.records()).isEqualTo(10_000);
        assertThat(s.bytes()).isEqualTo(1_000_000);
        assertThat(s.recordsPerSec()).isCloseTo(5_000, within(1e-6));
        assertThat(s.mbPerSec()).isCloseTo(500_000 / (1024.0 * 1024.0), within(1e-9));
        double mean = Arrays.stream(latenciesMicros).average().orElseThrow() / 1000.0;
        assertThat(s.avgLatencyMs()).isCloseTo(mean, within(mean * 0.001));
        assertNear(s.p50Ms(), latenciesMicros[4_999]);
        assertNear(s.p95Ms(), latenciesMicros[9_499]);
        assertNear(s.p99Ms(), latenciesMicros[9_899]);
        assertNear(s.p999Ms(), latenciesMicros[9_989]);
        assertNear(s.maxLatencyMs(), latenciesMicros[9_999]);
    }

    /** HdrHistogram with 3 significant digits is within 0.1% of the exact value. */
    private static void assertNear(double actualMs, long expectedMicros) {
        assertThat(actualMs * 1000).isCloseTo(expectedMicros, within(expectedMicros * 0.001 + 1));
    }

    @Test
    void windowsCoverOnlyWhatHappenedSinceThePreviousWindow() {
        PerfStats stats = new PerfStats(0);
        stats.record(10, 2 * MS);
        stats.record(10, 4 * MS);

        PerfStats.Window first = stats.window(1_000 * MS);
        stats.record(30, 10 * MS);
        PerfStats.Window second = stats.window(1_500 * MS);

        assertThat(first.records()).isEqualTo(2);
        assertThat(first.recordsPerSec()).isCloseTo(2.0, within(1e-9));
        assertThat(first.avgLatencyMs()).isCloseTo(3.0, within(0.01));
        assertThat(first.maxLatencyMs()).isCloseTo(4.0, within(0.01));
        assertThat(second.records()).isEqualTo(1);
        assertThat(second.bytes()).isEqualTo(30);
        assertThat(second.recordsPerSec()).isCloseTo(2.0, within(1e-9));
        assertThat(second.maxLatencyMs()).isCloseTo(10.0, within(0.01));
        assertThat(stats.summary(2_000 * MS).records()).isEqualTo(3);
    }

    @Test
    void aBatchCountsAsThatManyRecordsOfOneLatency() {
        PerfStats batched = new PerfStats(0);
        PerfStats single = new PerfStats(0);
        batched.recordBatch(3, 3_072, 5 * MS);
        batched.recordBatch(0, 0, 900 * MS); // an empty poll leaves no trace
        batched.recordBatch(1, 1_024, 9 * MS);
        for (int i = 0; i < 3; i++) {
            single.record(1_024, 5 * MS);
        }
        single.record(1_024, 9 * MS);

        PerfStats.Summary b = batched.summary(1_000 * MS);
        PerfStats.Summary s = single.summary(1_000 * MS);

        assertThat(b).isEqualTo(s);
        assertThat(b.records()).isEqualTo(4);
        assertThat(b.bytes()).isEqualTo(4_096);
        assertThat(b.measured()).isEqualTo(4);
        assertThat(b.p50Ms()).isCloseTo(5.0, within(0.01));
        assertThat(b.maxLatencyMs()).isCloseTo(9.0, within(0.01));
    }

    @Test
    void untimedRecordsCountButAreNotMeasured() {
        PerfStats stats = new PerfStats(0);
        stats.recordUntimed(10);
        stats.record(10, 7 * MS);

        PerfStats.Summary s = stats.summary(MS);

        assertThat(s.records()).isEqualTo(2);
        assertThat(s.bytes()).isEqualTo(20);
        assertThat(s.measured()).isEqualTo(1);
        assertThat(s.p50Ms()).isCloseTo(7.0, within(0.01));
    }

    @Test
    void errorsAreCountedApartFromRecords() {
        PerfStats stats = new PerfStats(0);
        stats.record(1, MS);
        stats.recordError();

        PerfStats.Summary s = stats.summary(MS);

        assertThat(s.records()).isEqualTo(1);
        assertThat(s.errors()).isEqualTo(1);
    }

    @Test
    void anEmptyRunReportsZeros() {
        PerfStats.Summary s = new PerfStats(0).summary(0);

        assertThat(s.recordsPerSec()).isZero();
        assertThat(s.p99Ms()).isZero();
        assertThat(PerfReport.summaryLine(s, "sent")).startsWith("0 records sent, 0.000000 records/sec (0.00 MB/sec)");
    }

    @Test
    void linesHaveKafkasShapeAndTheResultLineIsJson() {
        PerfStats stats = new PerfStats(0);
        for (int i = 1; i <= 100; i++) {
            stats.record(1024, i * MS);
        }
        PerfStats.Summary s = stats.summary(1_000 * MS);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("topic", "t");
        settings.put("recordSize", 1024);
        settings.put("acks", "all");

        assertThat(PerfReport.summaryLine(s, "sent")).matches(
                "100 records sent, 100\\.0+ records/sec \\(0\\.10 MB/sec\\), 50\\.\\d\\d ms avg latency, 100\\.\\d\\d ms max latency, "
                        + "50\\.\\d\\d ms 50th, 95\\.\\d\\d ms 95th, 99\\.\\d\\d ms 99th, 100\\.\\d\\d ms 99\\.9th\\.");
        assertThat(PerfReport.windowLine(stats.window(2_000 * MS), "received"))
                .isEqualTo("0 records received, 0.0 records/sec (0.00 MB/sec), 0.0 ms avg latency, 0.0 ms max latency.");
        assertThat(PerfReport.resultLine("produce", settings, s)).startsWith(
                "RESULT {\"tool\":\"produce\",\"topic\":\"t\",\"recordSize\":1024,\"acks\":\"all\",\"records\":100,"
                        + "\"bytes\":102400,\"errors\":0,\"measured\":100,\"elapsedMs\":1000,\"recordsPerSec\":100,\"mbPerSec\":0.098,"
                        + "\"latencyAvgMs\":50.")
                .contains("\"latencyP999Ms\":100.")
                .endsWith("}");
    }
}
