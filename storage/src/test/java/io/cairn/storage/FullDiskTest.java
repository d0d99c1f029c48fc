package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 10 (storage half): the disk fills up. Space is a byte budget in
 * {@link FaultInjector}; the write that does not fit writes part of itself and fails with "No space
 * left on device", as a short write followed by ENOSPC does. Guarantees checked: the append fails with
 * {@link StorageFullException} and is cut back, so no byte of it stays in the segment; the log stays
 * online and readable; appends succeed again once space returns; after a crash and a full recovery the
 * log holds exactly the acknowledged batches (recovery truncates nothing: there is nothing torn).
 */
class FullDiskTest {
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(1500).indexIntervalBytes(200)
        .segmentIndexBytes(1024).build();
    private static final int BATCHES = 36;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @Test
    void everyBudgetCutsTheFailedAppendBackAndAppendsResumeWhenSpaceReturns() throws IOException {
        List<ByteBuffer> plan = plannedBatches();
        int cases = 0;
        int failedAppends = 0;
        for (int budget = 0; budget <= 4_200; budget += 79) {
            failedAppends += runWithBudget(tmp.resolve("b" + budget), plan, budget);
            cases++;
        }
        System.out.printf("full disk: %d budgets, %d appends refused, 0 partial batches, 0 corrupt segments%n", cases,
            failedAppends);
        assertThat(cases).isGreaterThan(50);
        assertThat(failedAppends).as("appends refused for lack of space over all budgets").isGreaterThanOrEqualTo(cases);
    }

    /** One case; returns how many appends were refused. */
    private int runWithBudget(Path dataDir, List<ByteBuffer> plan, long budget) throws IOException {
        FaultInjector disk = new FaultInjector();
        List<Throwable> offline = new CopyOnWriteArrayList<>();
        LogEnvironment env = new LogEnvironment(clock, disk, null, (log, cause) -> offline.add(cause), null, null);
        Log log = LogTestSupport.open(dataDir, CONFIG, env);
        List<TestBatches.Batch> acked = new ArrayList<>();
        disk.limitSpace(budget);
        int refused = 0;
        int next = 0;
        for (; next < plan.size() && refused < 3; next++) {
            ByteBuffer batch = TestBatches.copy(plan.get(next));
            try {
                log.append(batch, 0);
                acked.addAll(TestBatches.batches(batch));
            } catch (StorageFullException e) {
                refused++;
                assertThat(e).as("budget %d", budget).hasMessageContaining("No space left on device")
                    .hasMessageContaining(LogTestSupport.TP.toString());
            }
            assertNoPartialBatch(log, acked, "budget " + budget + " after batch " + next);
        }
        assertThat(offline).as("budget %d: a full disk takes nothing offline", budget).isEmpty();
        assertThat(log.isOffline()).isFalse();
        assertThat(LogTestSupport.readAll(log, 0)).as("budget %d: reads while full", budget)
            .containsExactlyElementsOf(acked);

        disk.unlimitedSpace();
        for (; next < plan.size(); next++) {
            ByteBuffer batch = TestBatches.copy(plan.get(next));
            log.append(batch, 0);
            acked.addAll(TestBatches.batches(batch));
        }
        assertNoPartialBatch(log, acked, "budget " + budget + " after space returned");
        IndexChecks.crash(log);

        Log reopened = Log.open(log.dir(), LogTestSupport.TP, CONFIG, LogTestSupport.env(clock), false, 0, 0);
        try {
            assertThat(reopened.logEndOffset()).as("budget %d: end offset after recovery", budget)
                .isEqualTo(acked.get(acked.size() - 1).lastOffset() + 1);
            assertThat(LogTestSupport.readAll(reopened, 0)).as("budget %d: recovered log", budget)
                .containsExactlyElementsOf(acked);
            IndexChecks.assertIndexesAgreeWithScan(reopened);
        } finally {
            reopened.close();
        }
        return refused;
    }

    @Test
    void aRollThatFindsNoSpaceKeepsTheSealedSegmentActiveAndRollsWhenSpaceReturns() throws IOException {
        FaultInjector disk = new FaultInjector();
        List<Throwable> offline = new CopyOnWriteArrayList<>();
        LogEnvironment env = new LogEnvironment(clock, disk, null, (log, cause) -> offline.add(cause), null, null);
        Log log = LogTestSupport.open(tmp, CONFIG, env);
        List<ByteBuffer> plan = plannedBatches();
        List<TestBatches.Batch> acked = new ArrayList<>();
        int next = 0;
        while (log.activeSegment().size() + plan.get(next).remaining() <= CONFIG.segmentBytes()) {
            ByteBuffer batch = TestBatches.copy(plan.get(next++));
            log.append(batch, 0);
            acked.addAll(TestBatches.batches(batch));
        }
        // The next append must roll. No space at all: the new .log cannot even get its index; one byte:
        // the offset index is preallocated, the time index is not.
        for (long space : new long[] {0, 1}) {
            disk.limitSpace(space);
            ByteBuffer batch = TestBatches.copy(plan.get(next));
            assertThatThrownBy(() -> log.append(batch, 0)).as("space %d", space)
                .isInstanceOf(StorageFullException.class).hasMessageContaining("rolling to a new segment");
        }
        assertThat(log.segmentCount()).as("no half-created segment").isEqualTo(1);
        assertThat(offline).isEmpty();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(log.dir())) {
            for (Path f : files) {
                assertThat(f.getFileName().toString()).as("only the first segment's files and the epoch checkpoint")
                    .matches("0000000000000000000\\..*|" + LeaderEpochCheckpointFile.NAME);
            }
        }
        assertThat(LogTestSupport.readAll(log, 0)).containsExactlyElementsOf(acked);

        disk.unlimitedSpace();
        for (int i = next; i < plan.size(); i++) {
            ByteBuffer batch = TestBatches.copy(plan.get(i));
            log.append(batch, 0);
            acked.addAll(TestBatches.batches(batch));
        }
        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(LogTestSupport.readAll(log, 0)).containsExactlyElementsOf(acked);
        log.close();
        Log reopened = Log.open(log.dir(), LogTestSupport.TP, CONFIG, LogTestSupport.env(clock), true, 0, 0);
        try {
            assertThat(LogTestSupport.readAll(reopened, 0)).containsExactlyElementsOf(acked);
            IndexChecks.assertIndexesAgreeWithScan(reopened);
        } finally {
            reopened.close();
        }
    }

    @Test
    void aFailedFsyncStillTakesTheLogOfflineEvenWhenTheDiskIsFull() {
        FaultInjector disk = new FaultInjector();
        List<Throwable> offline = new CopyOnWriteArrayList<>();
        LogEnvironment env = new LogEnvironment(clock, disk, null, (log, cause) -> offline.add(cause), null, null);
        Log log = LogTestSupport.open(tmp, CONFIG, env);
        log.append(TestBatches.copy(plannedBatches().get(0)), 0);
        disk.failForces(p -> p.toString().endsWith(".log"));
        assertThatThrownBy(log::flush).isInstanceOf(LogOfflineException.class).hasMessageContaining("Input/output error");
        assertThat(offline).hasSize(1);
        assertThat(log.isOffline()).isTrue();
    }

    /** The files hold exactly the acknowledged batches: no byte of a refused append is left anywhere. */
    private static void assertNoPartialBatch(Log log, List<TestBatches.Batch> acked, String when) throws IOException {
        long onDisk = 0;
        for (LogSegment s : log.segmentsSnapshot()) {
            assertThat(Files.size(s.logFile())).as("%s: %s on disk vs published size", when, s).isEqualTo(s.size());
            onDisk += s.size();
        }
        long ackedBytes = acked.stream().mapToLong(TestBatches.Batch::size).sum();
        assertThat(onDisk).as("%s: bytes on disk", when).isEqualTo(ackedBytes);
        long end = acked.isEmpty() ? 0 : acked.get(acked.size() - 1).lastOffset() + 1;
        assertThat(log.logEndOffset()).as("%s: end offset", when).isEqualTo(end);
    }

    private static List<ByteBuffer> plannedBatches() {
        Random random = new Random(10);
        TestBatches batches = new TestBatches();
        List<ByteBuffer> plan = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            plan.add(batches.batch(random, 1 + random.nextInt(3), 10 + random.nextInt(90), 1_700_000_000_000L + i));
        }
        return plan;
    }
}
