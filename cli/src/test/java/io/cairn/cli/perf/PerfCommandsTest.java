package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn perf ...} against a real broker in this JVM: they run, count right and report in the documented shape. */
class PerfCommandsTest {
    private static final String SUMMARY = "\\d+ records (sent|received), [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), "
            + "[\\d.]+ ms avg latency, [\\d.]+ ms max latency, [\\d.]+ ms 50th, [\\d.]+ ms 95th, [\\d.]+ ms 99th, [\\d.]+ ms 99\\.9th\\.";
    private static final String PROGRESS = "\\d+ records (sent|received), [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), "
            + "[\\d.]+ ms avg latency, [\\d.]+ ms max latency\\.";

    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker();

    @Test
    void produceThenConsumeCountEveryRecordAndReportLatencies() {
        cli.ok("topics", "create", "--topic", "load", "--partitions", "2");

        CommandRun produced = cli.ok("perf", "produce", "--topic", "load", "--records", "3000", "--record-size", "100",
                "--throughput", "-1", "--acks", "1", "--linger-ms", "2", "--batch-size", "8192", "--reporting-interval-ms", "50");

        JsonNode result = result(produced);
        assertThat(result.get("tool").asText()).isEqualTo("produce");
        assertThat(result.get("records").asLong()).isEqualTo(3000);
        assertThat(result.get("bytes").asLong()).isEqualTo(300_000);
        assertThat(result.get("errors").asLong()).isZero();
        assertThat(result.get("acks").asText()).isEqualTo("1");
        assertThat(result.get("recordSize").asInt()).isEqualTo(100);
        assertLatenciesOrdered(result);
        assertThat(produced.outLines()).filteredOn(l -> l.contains("records sent") && l.contains("50th"))
                .singleElement().asString().matches(SUMMARY);
        assertThat(produced.outLines()).filteredOn(l -> !l.startsWith("RESULT ") && !l.contains("50th"))
                .allMatch(l -> l.matches(PROGRESS));

        CommandRun consumed = cli.ok("perf", "consume", "--topic", "load", "--records", "3000", "--reporting-interval-ms", "0");

        JsonNode read = result(consumed);
        assertThat(read.get("tool").asText()).isEqualTo("consume");
        assertThat(read.get("records").asLong()).isEqualTo(3000);
        assertThat(read.get("bytes").asLong()).isEqualTo(300_000);
        assertLatenciesOrdered(read);
        assertThat(consumed.outLines()).hasSize(2);
        assertThat(consumed.outLines().get(0)).matches(SUMMARY);
    }

    @Test
    void throughputThrottlesTheSendRate() {
        cli.ok("topics", "create", "--topic", "throttled", "--partitions", "1");

        JsonNode result = result(cli.ok("perf", "produce", "--topic", "throttled", "--records", "200", "--record-size", "10",
                "--throughput", "1000", "--reporting-interval-ms", "0"));

        assertThat(result.get("records").asLong()).isEqualTo(200);
        // 200 records at 1000/s take at least 199 ms: the pacer holds the last send until then
        assertThat(result.get("elapsedMs").asDouble()).isGreaterThanOrEqualTo(199);
        assertThat(result.get("recordsPerSec").asDouble()).isLessThanOrEqualTo(1010);
    }

    @Test
    void endToEndReceivesEverySentRecord() {
        cli.ok("topics", "create", "--topic", "round-trip", "--partitions", "2");

        CommandRun run = cli.ok("perf", "e2e", "--topic", "round-trip", "--records", "300", "--record-size", "64",
                "--throughput", "2000", "--warmup-records", "50", "--acks", "1", "--linger-ms", "0",
                "--reporting-interval-ms", "0");

        JsonNode result = result(run);
        assertThat(result.get("tool").asText()).isEqualTo("e2e");
        assertThat(result.get("records").asLong()).isEqualTo(300);
        assertThat(result.get("measured").asLong()).isEqualTo(250);
        assertThat(result.get("rate").asDouble()).isEqualTo(2000.0);
        assertThat(result.get("bytes").asLong()).isEqualTo(300 * 64);
        assertThat(result.get("latencyMaxMs").asDouble()).isPositive();
        assertLatenciesOrdered(result);
        assertThat(run.outLines().get(0)).matches(SUMMARY);
    }

    @Test
    void consumingMoreThanThereIsFailsAfterTheTimeoutButStillReports() {
        cli.ok("topics", "create", "--topic", "short", "--partitions", "1");
        cli.okWithInput("a\nb\n", "produce", "--topic", "short");

        CommandRun run = cli.run("perf", "consume", "--topic", "short", "--records", "5", "--timeout-ms", "300",
                "--reporting-interval-ms", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(result(run).get("records").asLong()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("cairn: perf consume: only 2 of 5 records arrived; none for 300 ms (--timeout-ms)");
    }

    @Test
    void consumingATopicThatDoesNotExistFailsAtOnceNamingIt() {
        CommandRun run = cli.run("perf", "consume", "--topic", "nope", "--records", "5", "--reporting-interval-ms", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("cairn: describe topic nope: topic does not exist");
    }

    private static JsonNode result(CommandRun run) {
        List<String> results = run.outLines().stream().filter(l -> l.startsWith(PerfReport.RESULT_PREFIX)).toList();
        assertThat(results).as("%s", run).hasSize(1);
        return CliTesting.json(results.get(0).substring(PerfReport.RESULT_PREFIX.length()));
    }

    private static void assertLatenciesOrdered(JsonNode r) {
        double p50 = r.get("latencyP50Ms").asDouble();
        double p95 = r.get("latencyP95Ms").asDouble();
        double p99 = r.get("latencyP99Ms").asDouble();
        double p999 = r.get("latencyP999Ms").asDouble();
        double max = r.get("latencyMaxMs").asDouble();
        assertThat(p50).isGreaterThanOrEqualTo(0);
        assertThat(p50).isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max);
        assertThat(r.get("latencyAvgMs").asDouble()).isBetween(0.0, max);
    }
}
