package io.cairn.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 13, the timing goal: while fuzzers pound the broker with random and mutated frames, a
 * well-behaved client's p99 produce+fetch latency stays within 2x of its baseline. Tagged soak
 * (not in mvn verify): timing on a shared 2-core machine is only meaningful measured robustly, so
 * both phases are cut into windows and the medians of the windows' p99s are compared. Run by
 * {@code reliability/fuzz-latency.sh}; the window count and length come from the system
 * properties {@code cairn.fuzzLatency.windows} (default 7) and {@code cairn.fuzzLatency.windowMs}
 * (default 3000).
 */
@Tag("soak")
class LiveFuzzLatencyTest {
    private static final int WINDOWS = Integer.getInteger("cairn.fuzzLatency.windows", 7);
    private static final long WINDOW_MS = Long.getLong("cairn.fuzzLatency.windowMs", 3000);
    private static final int FUZZERS = 2;

    @TempDir
    Path dir;

    @Test
    void aWellBehavedClientKeepsItsP99WithinTwiceItsBaselineUnderFuzzing() throws Exception {
        try (EmbeddedBroker broker = LiveBrokerFuzzProperties.startBroker(dir)) {
            broker.createTopic("fuzz", 1);
            broker.createTopic(LiveBrokerFuzzProperties.WellBehavedClient.TOPIC, 1);
            LiveBrokerFuzzProperties.WellBehavedClient client = LiveBrokerFuzzProperties.WellBehavedClient.start(broker);
            measureWindows(client, 1); // warm-up, discarded
            long[] baseline = measureWindows(client, WINDOWS);

            AtomicBoolean fuzzing = new AtomicBoolean(true);
            AtomicLong frames = new AtomicLong();
            List<Thread> fuzzers = new ArrayList<>();
            for (int f = 0; f < FUZZERS; f++) {
                Random random = new Random(f);
                Thread t = new Thread(() -> {
                    while (fuzzing.get()) {
                        byte[] frame = LiveBrokerFuzzProperties.FuzzFrames.next(random);
                        try (RawClient fuzzer = broker.rawClient()) {
                            fuzzer.sendRaw(frame);
                            fuzzer.receiveUnlessClosed(Duration.ofMillis(500));
                        } catch (RuntimeException expected) {
                            // closed, reset, or no answer: what fuzzed frames get
                        }
                        frames.incrementAndGet();
                    }
                }, "fuzzer-" + f);
                t.setDaemon(true);
                t.start();
                fuzzers.add(t);
            }
            long[] underFuzz = measureWindows(client, WINDOWS);
            fuzzing.set(false);
            for (Thread t : fuzzers) {
                t.join(10_000);
            }
            LiveBrokerFuzzProperties.WellBehavedClient.Result result = client.stop();

            long baselineMedian = median(baseline);
            long fuzzMedian = median(underFuzz);
            System.out.printf("well-behaved client p99 per %d ms window: baseline %s us (median %d), under %d fuzzers "
                            + "(%d frames) %s us (median %d): ratio %.2f; %d round trips, %d errors%n",
                    WINDOW_MS, Arrays.toString(baseline), baselineMedian, FUZZERS, frames.get(), Arrays.toString(underFuzz),
                    fuzzMedian, (double) fuzzMedian / baselineMedian, result.roundTrips(), result.errors());
            assertThat(result.errors()).as("errors seen by the well-behaved client: %s", result.firstError()).isZero();
            assertThat(fuzzMedian).as("median p99 under fuzzing vs baseline %d us", baselineMedian)
                    .isLessThanOrEqualTo(2 * baselineMedian);
        }
    }

    /** p99 latency in microseconds of each of {@code count} windows. */
    private static long[] measureWindows(LiveBrokerFuzzProperties.WellBehavedClient client, int count) throws InterruptedException {
        long[] p99s = new long[count];
        for (int w = 0; w < count; w++) {
            client.drainLatencies();
            Thread.sleep(WINDOW_MS); // a measurement window, not a wait for a condition
            long[] latencies = client.drainLatencies();
            Arrays.sort(latencies);
            p99s[w] = latencies.length == 0 ? Long.MAX_VALUE / 4
                    : latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1000;
        }
        return p99s;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
