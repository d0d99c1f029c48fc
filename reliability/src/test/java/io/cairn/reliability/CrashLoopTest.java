package io.cairn.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupDescription;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.admin.OffsetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1, kill -9 under load: three idempotent producers (acks=all, retries on) send keyed
 * records with unique ids to a 6-partition topic while a 2-member consumer group reads and commits;
 * at seeded random moments (after a random number of further acknowledgements) the broker is killed
 * with SIGKILL and restarted on the same data directory and port. At the end every partition is
 * read from its start: every acknowledged record is there exactly once, at its acknowledged offset,
 * in each producer's send order; the group's committed offsets, sampled through the admin API just
 * before every kill and after every restart, never went backwards; and every restart served again
 * within 5 s of being spawned (asserted as such with strict times, see {@link TimeLimits}).
 *
 * <p>{@code -Dcairn.reliability.crashRounds=N} sets the rounds (20 by default, 200 in
 * {@code reliability/crash-loop.sh}); {@code -Dcairn.reliability.seed=S} the seed.
 */
class CrashLoopTest {
    private static final String TOPIC = "crash";
    private static final String GROUP = "crash-readers";
    private static final int PARTITIONS = 6;
    private static final int PRODUCERS = 3;
    private static final Duration MAX_RESTART = Duration.ofSeconds(5);
    /** Small segments so that the crashes also hit rolls and recovery spans several segments. */
    private static final Map<String, String> SETTINGS = Map.of("log.segment.bytes", "262144");

    @TempDir
    Path dataDir;

    @Test
    void killNineUnderLoadLosesAndDuplicatesNothing() throws Exception {
        int rounds = Integer.getInteger("cairn.reliability.crashRounds", 20);
        long seed = Long.getLong("cairn.reliability.seed", 1L);
        Random random = new Random(seed);
        AckLedger ledger = new AckLedger();
        List<Duration> restartTimes = new ArrayList<>();
        List<Duration> reportedTimes = new ArrayList<>();
        Map<TopicPartition, Long> committedHigh = new HashMap<>();
        long commitSamples = 0;
        int roundsDone = 0;
        try (BrokerProcess broker = BrokerProcess.create(dataDir, BrokerProcess.logDirFor("CrashLoopTest"), SETTINGS);
             AutoCloseableList<LoadProducer> producers = new AutoCloseableList<>();
             AutoCloseableList<GroupReader> readers = new AutoCloseableList<>()) {
            broker.start();
            try (CairnAdmin admin = admin(broker)) {
                admin.createTopics(List.of(NewTopic.of(TOPIC, PARTITIONS))).get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < PRODUCERS; i++) {
                producers.add(new LoadProducer(i, broker.bootstrap(), TOPIC, ledger, 500, seed * 31 + i).start());
            }
            for (int i = 0; i < 2; i++) {
                readers.add(new GroupReader(i, broker.bootstrap(), GROUP, TOPIC).start());
            }
            try (CairnAdmin admin = admin(broker)) {
                long deadline = TimeLimits.loopDeadlineNanos();
                for (int round = 1; round <= rounds && System.nanoTime() < deadline; round++) {
                    roundsDone = round;
                    long target = ledger.ackedCount() + 200 + random.nextInt(3000);
                    await("round " + round + ": " + target + " records acknowledged").atMost(Duration.ofSeconds(120))
                        .until(() -> ledger.ackedCount() >= target);
                    commitSamples += sampleCommitted(admin, committedHigh, "before kill " + round);
                    int run = broker.runs();
                    broker.kill9();
                    Duration took = broker.start();
                    restartTimes.add(took);
                    reportedTimes.add(broker.reportedStartTime(broker.runs()).orElseThrow());
                    assertThat(broker.logOf(broker.runs())).as("run %d after the kill of run %d", broker.runs(), run)
                        .contains("unclean shutdown").doesNotContain("partition offline");
                    commitSamples += sampleCommitted(admin, committedHigh, "after restart " + round);
                }

                for (LoadProducer p : producers) {
                    p.stop(Duration.ofSeconds(120));
                }
                Map<TopicPartition, Long> ends = endOffsets(admin);
                await("the group committed up to the end of every partition " + ends).atMost(Duration.ofSeconds(120))
                    .until(() -> {
                        for (GroupReader r : readers) {
                            assertThat(r.alive()).as("group reader still running").isTrue();
                        }
                        return committed(admin).equals(ends);
                    });
                commitSamples += sampleCommitted(admin, committedHigh, "at the end");
            }
            long consumed = 0;
            long consumerErrors = 0;
            for (GroupReader r : readers) {
                consumed += r.records();
                consumerErrors += r.errors();
            }
            readers.close();

            assertThat(ledger.failures()).as("failed sends").isEmpty();
            LedgerCheck check = LedgerCheck.of(ledger, LogContents.read(broker.bootstrap(), TOPIC, PARTITIONS,
                Duration.ofSeconds(120)));
            Results.report("CrashLoopTest", "rounds=" + roundsDone + "/" + rounds + " seed=" + seed + " " + check
                + " restart(spawn->serving) " + Stats.of(restartTimes) + " broker-reported start " + Stats.of(reportedTimes)
                + " commitSamples=" + commitSamples
                + " consumed=" + consumed + " consumerErrors=" + consumerErrors + " strictTimes=" + TimeLimits.strict());
            assertThat(check.clean()).as("%s", check).isTrue();
            assertThat(check.acked()).isGreaterThanOrEqualTo(200L * roundsDone);
            // times last: a slow machine must not hide what the data checks found
            assertThat(Stats.of(restartTimes).max()).as("slowest restart, spawn to serving")
                .isLessThan(TimeLimits.bound(MAX_RESTART));
        }
    }

    private static CairnAdmin admin(BrokerProcess broker) {
        return CairnAdmin.builder().bootstrapServers(broker.bootstrap()).defaultApiTimeoutMs(30_000).build();
    }

    private static Map<TopicPartition, Long> committed(CairnAdmin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeGroups(List.of(GROUP)).get(60, TimeUnit.SECONDS).get(GROUP);
        return group == null ? Map.of() : group.committedOffsets();
    }

    /** Checks that no committed offset fell below the highest seen so far; returns the partitions sampled. */
    private static int sampleCommitted(CairnAdmin admin, Map<TopicPartition, Long> high, String when) throws Exception {
        Map<TopicPartition, Long> now = committed(admin);
        for (Map.Entry<TopicPartition, Long> e : high.entrySet()) {
            Long current = now.get(e.getKey());
            assertThat(current).as("committed offset of %s %s (was %d)", e.getKey(), when, e.getValue())
                .isNotNull().isGreaterThanOrEqualTo(e.getValue());
        }
        high.putAll(now);
        return now.size();
    }

    private static Map<TopicPartition, Long> endOffsets(CairnAdmin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            specs.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs).get(60, TimeUnit.SECONDS).forEach((tp, listed) -> ends.put(tp, listed.offset()));
        return ends;
    }
}
