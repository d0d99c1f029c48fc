package io.cairn.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8, clean restarts: a broker stopped with SIGTERM and started again, over and over, while
 * an idempotent producer keeps sending. Every restart must open the logs as cleanly shut down (no
 * recovery scan: the broker logs {@code (.. offline, clean shutdown)} and no
 * {@code recovered from recovery point} line), serve again within 2 s of being spawned, and lose
 * nothing: at the end every acknowledged record is in the log once, at its acknowledged offset.
 * The 2 s goal is asserted as such only with strict times ({@link TimeLimits}).
 *
 * <p>{@code -Dcairn.reliability.cleanRestarts=N} sets the number of restarts (10 by default, 100 in
 * {@code reliability/clean-restarts.sh}).
 */
class CleanRestartTest {
    private static final String TOPIC = "clean";
    private static final int PARTITIONS = 4;
    private static final Duration MAX_RESTART = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    @Test
    void sigtermRestartsOpenCleanlyFastAndLoseNothing() throws Exception {
        int restarts = Integer.getInteger("cairn.reliability.cleanRestarts", 10);
        long seed = Long.getLong("cairn.reliability.seed", 8L);
        Random random = new Random(seed);
        AckLedger ledger = new AckLedger();
        List<Duration> restartTimes = new ArrayList<>();
        int restartsDone = 0;
        List<Duration> reportedTimes = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.create(dataDir, BrokerProcess.logDirFor("CleanRestartTest"), Map.of())) {
            broker.start();
            assertThat(broker.logOf(1)).as("first start on an empty data directory")
                .contains("(0 offline, new data directory)").doesNotContain("unclean");
            try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build()) {
                admin.createTopics(List.of(NewTopic.of(TOPIC, PARTITIONS))).get(30, TimeUnit.SECONDS);
            }
            try (LoadProducer producer = new LoadProducer(0, broker.bootstrap(), TOPIC, ledger, 200, seed).start()) {
                long deadline = TimeLimits.loopDeadlineNanos();
                for (int round = 1; round <= restarts && System.nanoTime() < deadline; round++) {
                    restartsDone = round;
                    long target = ledger.ackedCount() + 100 + random.nextInt(400);
                    await("round " + round + ": " + target + " records acknowledged").atMost(Duration.ofSeconds(60))
                        .until(() -> ledger.ackedCount() >= target);
                    int run = broker.runs();
                    int exit = broker.stop();
                    assertThat(exit).as("exit value after SIGTERM, run %d", run).isEqualTo(143);
                    assertThat(broker.logOf(run)).as("run %d log", run).contains("stopped cleanly")
                        .contains("closed log manager for").doesNotContain("(unclean)");
                    Duration took = broker.start();
                    restartTimes.add(took);
                    reportedTimes.add(broker.reportedStartTime(broker.runs()).orElseThrow());
                    String log = broker.logOf(broker.runs());
                    assertThat(log).as("run %d opened its logs without a recovery scan", broker.runs())
                        .contains("(0 offline, clean shutdown)")
                        .doesNotContain("recovered from recovery point")
                        .doesNotContain("truncating")
                        .doesNotContain("rebuilding indexes");
                }
                producer.stop(Duration.ofSeconds(60));
            }
            assertThat(ledger.failures()).as("failed sends").isEmpty();
            LedgerCheck check = LedgerCheck.of(ledger, LogContents.read(broker.bootstrap(), TOPIC, PARTITIONS,
                Duration.ofSeconds(60)));
            Stats stats = Stats.of(restartTimes);
            Results.report("CleanRestartTest", "restarts=" + restartsDone + "/" + restarts + " seed=" + seed + " " + check
                + " restart(spawn->serving) " + stats + " broker-reported start " + Stats.of(reportedTimes) + " strictTimes=" + TimeLimits.strict());
            assertThat(check.clean()).as("%s", check).isTrue();
            assertThat(check.acked()).isPositive();
            // times last: a slow machine must not hide what the data checks found
            assertThat(stats.max()).as("slowest restart, spawn to serving").isLessThan(TimeLimits.bound(MAX_RESTART));
        }
    }
}
