package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FileSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2, simulated power loss. A seeded random workload runs a {@link LogManager} over a
 * {@link PowerLossFileSystem}: appends (acks=1), appends followed by a wait for
 * {@link LogManager#flushAsync} (acks=all, the broker's path), rolls, checkpoints, clean restarts.
 * At a random channel operation the power goes; the tree is rewritten to what the disk would hold
 * (unforced bytes lost or torn, unsynced directory entries gone, unflushed index pages lost or
 * zeroed), and the directory is reopened with real files. Then:
 * <ul>
 *   <li>the partition opens (not offline);</li>
 *   <li>every batch whose flush wait completed is there, at its offset, byte for byte;</li>
 *   <li>what survives is exactly a prefix of what was appended (acks=1 data is lost only from the
 *       unflushed tail; nothing reordered, duplicated or invented), and the end offset follows it;</li>
 *   <li>the indexes agree with a scan, offset and timestamp lookups are right, and appends continue.</li>
 * </ul>
 * {@code -Dcairn.powerloss.seeds=N} runs more seeds (default 1000).
 */
class PowerLossTest {
    private static final TopicPartition TP = new TopicPartition("power.loss", 0);
    private static final int SEEDS = Integer.getInteger("cairn.powerloss.seeds", 1000);
    private static final long FIRST_SEED = Long.getLong("cairn.powerloss.firstSeed", 0L);

    @TempDir
    Path tmp;

    /** A batch as appended: its assigned offsets and bytes, and whether a flush wait for it completed. */
    private static final class Appended {
        final TestBatches.Batch batch;
        boolean acked;

        Appended(TestBatches.Batch batch) {
            this.batch = batch;
        }
    }

    /** Totals over all seeds. */
    private static final class Totals {
        int seeds;
        int crashedMidOperation;
        long appended;
        long acked;
        long unackedLost;
        long ackedLost;
        long filesVanished;
        long filesTorn;
        long cleanRestarts;
    }

    @Test
    void everyAcknowledgedBatchSurvivesAPowerLossAtAnyMoment() throws Exception {
        Totals totals = new Totals();
        long startNs = System.nanoTime();
        long startCpuMs = CpuTime.processMs();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            runSeed(seed, totals);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.printf("PowerLossTest: seeds=%d crashedMidOperation=%d cleanRestarts=%d batchesAppended=%d "
                + "acked=%d ackedLost=%d unackedLost=%d filesVanished=%d filesTorn=%d in %d ms (process CPU %d ms)%n", totals.seeds,
            totals.crashedMidOperation, totals.cleanRestarts, totals.appended, totals.acked, totals.ackedLost,
            totals.unackedLost, totals.filesVanished, totals.filesTorn, ms, CpuTime.processMs() - startCpuMs);
        assertThat(totals.ackedLost).isZero();
        assertThat(totals.crashedMidOperation).as("power lost in the middle of operations").isGreaterThan(SEEDS / 2);
    }

    private void runSeed(long seed, Totals totals) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("seed-" + seed));
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        PowerLossFileSystem fs = new PowerLossFileSystem(dir);
        LogConfig logConfig = LogConfig.builder().segmentBytes(2000 + r.nextInt(4000))
            .indexIntervalBytes(r.nextInt(400)).segmentIndexBytes(64 + r.nextInt(600)).build();
        LogManagerConfig config = LogManagerConfig.builder().channels(fs).defaultLogConfig(logConfig)
            .recoveryThreads(1).cleanerThreads(0).build();
        List<Appended> appended = new ArrayList<>();
        TestBatches batches = new TestBatches();
        fs.powerOffAfter(1 + r.nextInt(250));
        LogManager manager = null;
        try {
            manager = LogManager.open(dir, config);
            Log log = manager.getOrCreateLog(TP, logConfig);
            int steps = 10 + r.nextInt(50);
            for (int step = 0; step < steps; step++) {
                int op = r.nextInt(100);
                if (op < 75) {
                    List<ByteBuffer> parts = new ArrayList<>();
                    int n = r.nextInt(5) == 0 ? 2 + r.nextInt(2) : 1;
                    for (int i = 0; i < n; i++) {
                        parts.add(batches.batch(r, 1 + r.nextInt(5), r.nextInt(250), 1_000_000 + appended.size() * 10L
                            + r.nextInt(30)));
                    }
                    ByteBuffer buf = TestBatches.concat(parts);
                    LogAppendResult result = log.append(buf, 0);
                    List<Appended> mine = new ArrayList<>();
                    for (TestBatches.Batch b : TestBatches.batches(buf)) {
                        Appended a = new Appended(b);
                        appended.add(a);
                        mine.add(a);
                    }
                    if (op >= 40) {
                        awaitFlush(manager, log, result.lastOffset() + 1);
                        mine.forEach(a -> a.acked = true);
                    }
                } else if (op < 84) {
                    log.roll();
                } else if (op < 92) {
                    manager.checkpoint();
                } else {
                    manager.close();
                    totals.cleanRestarts++;
                    manager = null;
                    manager = LogManager.open(dir, config);
                    log = manager.log(TP).orElseThrow();
                }
            }
        } catch (Exception | AssertionError e) {
            if (!fs.isPowerOff()) {
                throw new AssertionError("seed " + seed + ": failure before the power loss", e);
            }
        }
        if (fs.isPowerOff()) {
            totals.crashedMidOperation++;
        }
        fs.powerOffNow();
        if (manager != null) {
            manager.halt();
        }
        PowerLossFileSystem.CrashReport report = fs.crash(r);
        totals.filesVanished += report.filesVanished();
        totals.filesTorn += report.filesTorn();
        totals.seeds++;
        try {
            verify(seed, dir, config.toBuilder().channels(PowerLossFileSystem.REAL_WITHOUT_FSYNC).build(), logConfig, appended,
                totals, r);
        } finally {
            FileUtil.deleteRecursively(dir);
        }
    }

    private static void awaitFlush(LogManager manager, Log log, long offsetExclusive)
        throws InterruptedException, ExecutionException, TimeoutException {
        long flushed = manager.flushAsync(log, offsetExclusive).get(30, TimeUnit.SECONDS);
        if (flushed < offsetExclusive) {
            throw new AssertionError("flush completed at " + flushed + " below " + offsetExclusive);
        }
    }

    private static void verify(long seed, Path dir, LogManagerConfig config, LogConfig logConfig, List<Appended> appended,
                               Totals totals, Random r) throws IOException {
        String ctx = "seed " + seed;
        long acked = appended.stream().filter(a -> a.acked).count();
        totals.appended += appended.size();
        totals.acked += acked;
        LogManager manager = LogManager.open(dir, config);
        try {
            assertThat(manager.offlinePartitions()).as(ctx + ": offline partitions").isEmpty();
            Optional<Log> opened = manager.log(TP);
            List<TestBatches.Batch> got = opened.isPresent() ? LogTestSupport.readAll(opened.get(), 0) : List.of();
            int survived = 0;
            while (survived < got.size()) {
                assertThat(survived).as(ctx + ": batch %d was never appended", survived).isLessThan(appended.size());
                TestBatches.Batch want = appended.get(survived).batch;
                TestBatches.Batch have = got.get(survived);
                assertThat(have.baseOffset()).as(ctx + ": base offset of batch %d", survived).isEqualTo(want.baseOffset());
                assertThat(have.bytes()).as(ctx + ": bytes of batch %d", survived).isEqualTo(want.bytes());
                survived++;
            }
            for (int i = survived; i < appended.size(); i++) {
                if (appended.get(i).acked) {
                    totals.ackedLost++;
                }
            }
            assertThat(totals.ackedLost).as(ctx + ": acknowledged batches lost (survived %d of %d)", survived,
                appended.size()).isZero();
            totals.unackedLost += appended.size() - survived;
            if (opened.isEmpty()) {
                return;
            }
            Log log = opened.get();
            long end = survived == 0 ? log.activeSegment().baseOffset() : got.get(survived - 1).lastOffset() + 1;
            assertThat(log.logEndOffset()).as(ctx + ": end offset").isEqualTo(end);
            IndexChecks.assertIndexesAgreeWithScan(log);
            checkLookups(ctx, log, got, r);
            LogAppendResult again = log.append(new TestBatches().batch(r, 2, 10, 5), 0);
            assertThat(again.firstOffset()).as(ctx + ": append after recovery").isEqualTo(end);
        } finally {
            manager.close();
        }
    }

    /** Offset lookups land on the containing batch; timestamp lookups on the first batch reaching it. */
    private static void checkLookups(String ctx, Log log, List<TestBatches.Batch> got, Random r) throws IOException {
        for (int i = 0; i < Math.min(10, got.size()); i++) {
            TestBatches.Batch target = got.get(r.nextInt(got.size()));
            long offset = target.baseOffset() + r.nextInt((int) (target.lastOffset() - target.baseOffset() + 1));
            LogReadResult read = log.read(offset, 1, log.logEndOffset());
            FileSlice slice = read.slice();
            assertThat(slice).as(ctx + ": read at %d", offset).isNotNull();
            TestBatches.Batch first = TestBatches.batches(TestBatches.read(slice)).get(0);
            assertThat(first.baseOffset()).as(ctx + ": batch holding %d", offset).isEqualTo(target.baseOffset());

            long ts = target.maxTimestamp();
            long expected = -1;
            for (TestBatches.Batch b : got) {
                if (b.maxTimestamp() >= ts) {
                    expected = b.baseOffset();
                    break;
                }
            }
            Optional<TimestampOffset> found = log.offsetForTimestamp(ts);
            assertThat(found).as(ctx + ": offset for timestamp %d", ts).isPresent();
            assertThat(found.get().offset()).as(ctx + ": offset for timestamp %d", ts).isGreaterThanOrEqualTo(expected);
            assertThat(found.get().offset()).as(ctx + ": offset for timestamp %d", ts)
                .isLessThanOrEqualTo(batchHolding(got, expected).lastOffset());
        }
    }

    private static TestBatches.Batch batchHolding(List<TestBatches.Batch> got, long offset) {
        for (TestBatches.Batch b : got) {
            if (b.baseOffset() <= offset && offset <= b.lastOffset()) {
                return b;
            }
        }
        throw new AssertionError("no batch holds " + offset);
    }
}
