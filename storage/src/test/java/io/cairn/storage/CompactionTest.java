package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(17);
    private final List<LogManager> managers = new ArrayList<>();
    private final TopicPartition tp = new TopicPartition("__consumer_offsets", 7);

    private static final LogConfig COMPACT = LogConfig.builder().segmentBytes(3000).indexIntervalBytes(200)
        .segmentIndexBytes(1024).cleanupPolicy(CleanupPolicy.COMPACT).deleteRetentionMs(10_000)
        .fileDeleteDelayMs(0).minCleanableDirtyRatio(0).build();

    /** One record as read back. */
    record Rec(long offset, String key, String value, long timestamp) {
    }

    @AfterEach
    void closeAll() {
        managers.forEach(LogManager::close);
    }

    private LogManager open(int cleanerThreads) {
        LogManager m = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(COMPACT)
            .cleanerThreads(cleanerThreads).cleanerBackoffMs(20).build());
        managers.add(m);
        return m;
    }

    /** Channels whose forces of the files {@code which} accepts run {@code hook}'s task (if any) after forcing. */
    private static FileChannelFactory afterForce(Predicate<Path> which, Supplier<Runnable> hook) {
        return ForwardingFileChannel.factory(which, (channel, path) -> new ForwardingFileChannel(channel, path) {
            @Override
            public void force(boolean metaData) throws IOException {
                super.force(metaData);
                Runnable task = hook.get();
                if (task != null) {
                    task.run();
                }
            }
        });
    }

    /** Appends batches of 1-4 records over {@code keys} keys; null values (tombstones) with probability pTomb. */
    private List<Rec> fill(Log log, int batchCount, int keys, double pTomb) {
        List<Rec> written = new ArrayList<>();
        for (int i = 0; i < batchCount; i++) {
            int n = 1 + random.nextInt(4);
            byte[][] k = new byte[n][];
            byte[][] v = new byte[n][];
            for (int j = 0; j < n; j++) {
                k[j] = ("key-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8);
                v[j] = random.nextDouble() < pTomb ? null
                    : ("value-" + i + "-" + j + "-" + "x".repeat(random.nextInt(40))).getBytes(StandardCharsets.UTF_8);
            }
            LogAppendResult r = log.append(batches.keyed(clock.millis(), k, v), 0);
            for (int j = 0; j < n; j++) {
                written.add(new Rec(r.firstOffset() + j, new String(k[j], StandardCharsets.UTF_8),
                    v[j] == null ? null : new String(v[j], StandardCharsets.UTF_8), clock.millis()));
            }
        }
        return written;
    }

    static List<Rec> records(Log log) throws IOException {
        List<Rec> out = new ArrayList<>();
        for (TestBatches.Batch b : LogTestSupport.readAll(log, log.logStartOffset())) {
            for (Record r : new RecordBatch(b.bytes(), 0).records()) {
                out.add(new Rec(r.offset(), r.hasKey() ? StandardCharsets.UTF_8.decode(r.key()).toString() : null,
                    r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null, r.timestamp()));
            }
        }
        return out;
    }

    /** Newest record per key among {@code written} with offset below {@code end}. */
    private static Map<String, Rec> newestBelow(List<Rec> written, long end) {
        Map<String, Rec> newest = new LinkedHashMap<>();
        for (Rec r : written) {
            if (r.offset() < end) {
                newest.put(r.key(), r);
            }
        }
        return newest;
    }

    /**
     * A compacted log that keeps rolling must not keep one file set per roll: segments emptied by
     * cleaning merge with their neighbours up to {@code segment.bytes} (regression: the segment
     * count of {@code __consumer_offsets} grew by one per roll, in the soak from 4 to 28).
     */
    @Test
    void cleanedSegmentsMergeWithTheirNeighboursUpToTheSegmentSize() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        List<Rec> written = new ArrayList<>();
        int rolledSoFar = 0;
        int afterFirstPass = -1;
        for (int pass = 0; pass < 6; pass++) {
            written.addAll(fill(log, 200, 60, 0));
            rolledSoFar += log.segmentsSnapshot().size() - (afterFirstPass < 0 ? 0 : afterFirstPass);
            LogCleaner.Result result = m.cleaner().cleanNow(log);
            assertThat(result).isNotNull();
            List<LogSegment> segments = log.segmentsSnapshot();
            if (pass == 0) {
                // Grouped by their size before cleaning (as Kafka does): full segments are cleaned one
                // by one the first time, and merge on the next pass.
                afterFirstPass = segments.size();
                assertThat(afterFirstPass).as("segments after the first pass").isGreaterThan(8);
            } else {
                assertThat(result.segmentsMerged()).as("pass %d: segments merged", pass).isPositive();
                assertThat(segments.size()).as("pass %d: segment count stays flat while %d segments rolled",
                    pass, rolledSoFar).isLessThanOrEqualTo(afterFirstPass + 1);
            }
            for (LogSegment s : segments) {
                assertThat(s.size()).as("pass %d: %s within segment.bytes", pass, s).isLessThanOrEqualTo(3000);
            }
            assertThat(segments.get(0).baseOffset()).as("the log start stays").isZero();
            long cleanedEnd = result.endOffset();
            Map<String, Rec> newest = newestBelow(written, cleanedEnd);
            List<Rec> expected = new ArrayList<>();
            for (Rec r : written) {
                if (r.offset() >= cleanedEnd || newest.get(r.key()).offset() == r.offset()) {
                    expected.add(r);
                }
            }
            assertThat(records(log)).as("pass %d: newest per key at its offset, the rest untouched", pass)
                .isEqualTo(expected);
            IndexChecks.assertIndexesAgreeWithScan(log);
        }
        // and the merged segments open again as they were
        List<Rec> before = records(log);
        long end = log.logEndOffset();
        m.close();
        managers.remove(m);
        Log reopened = open(0).log(tp).orElseThrow();
        assertThat(records(reopened)).isEqualTo(before);
        assertThat(reopened.logEndOffset()).isEqualTo(end);
    }

    /**
     * A flush that has picked its segments must not find them swapped out under it: the cleaner
     * (and retention) wait for a running flush before renaming a segment's files. Regression: the
     * flush thread forced a segment the cleaner had just replaced and deleted, failed to open its
     * index file, and took the log (and its whole data directory) offline; in the broker that made
     * {@code __consumer_offsets} unavailable under steady offset commits with a busy cleaner.
     */
    @Test
    void aCleaningPassWaitsForAFlushThatHoldsItsSegments() throws Exception {
        AtomicReference<Runnable> onLogForce = new AtomicReference<>();
        FileChannelFactory channels = afterForce(ForwardingFileChannel.LOG_FILES, () -> onLogForce.getAndSet(null));
        LogManager m = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(COMPACT)
            .channels(channels).cleanerThreads(0).build());
        managers.add(m);
        Log log = m.getOrCreateLog(tp, COMPACT);
        List<Rec> written = fill(log, 200, 60, 0);
        assertThat(log.segmentsSnapshot()).as("sealed segments, none flushed yet").hasSizeGreaterThan(8);
        long end = log.logEndOffset();

        ExecutorService cleaner = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> cleanerThread = new AtomicReference<>();
            AtomicReference<Future<LogCleaner.Result>> pass = new AtomicReference<>();
            // At the flush's first force (the oldest segment's data, its indexes still to come) a
            // cleaning pass of those very segments starts; the flush goes on once the pass has ended
            // or is waiting for the flush.
            onLogForce.set(() -> {
                pass.set(cleaner.submit(() -> {
                    cleanerThread.set(Thread.currentThread());
                    return m.cleaner().cleanNow(log);
                }));
                await("the cleaning pass ended or waits for the flush").atMost(Duration.ofSeconds(30))
                    .until(() -> pass.get().isDone() || cleanerThread.get() != null
                        && cleanerThread.get().getState() == Thread.State.WAITING);
            });

            assertThat(log.flush()).as("recovery point after the flush").isEqualTo(end);

            assertThat(pass.get()).as("the flush forced a segment and started the pass").isNotNull();
            LogCleaner.Result result = pass.get().get(30, TimeUnit.SECONDS);
            assertThat(result).as("the pass cleaned after the flush").isNotNull();
            assertThat(log.isOffline()).isFalse();
            Map<String, Rec> newest = newestBelow(written, end);
            assertThat(records(log)).containsAll(newest.values());
        } finally {
            cleaner.shutdownNow();
        }
    }

    /**
     * Readers look segments up without the log's lock, so while a merging swap is under way every
     * offset must stay covered by a segment holding it (regression: the old segments left the map
     * before the merged one took the first one's place, and a read in that window skipped the run).
     * At each directory force of the pass every offset is read: one held before and after the pass
     * must come back in the first batch returned at every moment in between.
     */
    @Test
    void readsDuringAMergingSwapFindEveryOffsetOfTheRun() throws IOException {
        AtomicReference<Runnable> onDirectoryForce = new AtomicReference<>();
        FileChannelFactory channels = afterForce(Files::isDirectory, onDirectoryForce::get);
        LogManager m = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(COMPACT)
            .channels(channels).cleanerThreads(0).build());
        managers.add(m);
        Log log = m.getOrCreateLog(tp, COMPACT);
        fill(log, 200, 60, 0);
        assertThat(m.cleaner().cleanNow(log)).isNotNull();
        fill(log, 200, 60, 0);
        long end = log.activeSegment().baseOffset();
        BitSet before = covered(log, end);
        List<BitSet> during = new ArrayList<>();
        onDirectoryForce.set(() -> during.add(covered(log, end)));
        LogCleaner.Result result = m.cleaner().cleanNow(log);
        onDirectoryForce.set(null);
        BitSet after = covered(log, end);
        assertThat(result.segmentsMerged()).as("the pass merges").isPositive();
        assertThat(during).as("directory forces during the pass").hasSizeGreaterThan(2);
        // Offsets held before and after the pass (whole runs removed by cleaning may vanish) must be
        // found at every moment in between.
        BitSet kept = (BitSet) before.clone();
        kept.and(after);
        assertThat(kept.cardinality()).as("offsets held before and after").isGreaterThan(100);
        for (int i = 0; i < during.size(); i++) {
            BitSet missing = (BitSet) kept.clone();
            missing.andNot(during.get(i));
            assertThat(missing.stream().boxed().toList()).as("offsets a read skipped at directory force %d", i + 1)
                .isEmpty();
        }
    }

    /** The offsets below {@code end} whose read returns, first, the batch holding them. */
    private static BitSet covered(Log log, long end) {
        BitSet covered = new BitSet();
        for (long offset = log.logStartOffset(); offset < end; offset++) {
            LogReadResult r = log.read(offset, 1, end);
            if (!r.hasData()) {
                continue;
            }
            try {
                TestBatches.Batch first = TestBatches.batches(TestBatches.read(r.slice())).get(0);
                if (first.baseOffset() <= offset && offset <= first.lastOffset()) {
                    covered.set((int) offset);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return covered;
    }

    @Test
    void keepsTheNewestRecordPerKeyAtItsOriginalOffset() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        List<Rec> written = fill(log, 300, 40, 0);
        long sizeBefore = log.sizeInBytes();
        long end = log.logEndOffset();
        LogCleaner.Result result = m.cleaner().cleanNow(log);
        assertThat(result).isNotNull();
        long cleanedEnd = result.endOffset();
        assertThat(cleanedEnd).isEqualTo(log.activeSegment().baseOffset());
        assertThat(result.recordsRemoved()).isPositive();

        List<Rec> after = records(log);
        Map<String, Rec> newestInCleaned = newestBelow(written, cleanedEnd);
        List<Rec> expected = new ArrayList<>();
        for (Rec r : written) {
            if (r.offset() >= cleanedEnd || newestInCleaned.get(r.key()).offset() == r.offset()) {
                expected.add(r);
            }
        }
        assertThat(after).isEqualTo(expected);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore);
        // Every key's latest value is unchanged for a consumer reading the whole log.
        Map<String, Rec> latestBefore = newestBelow(written, Long.MAX_VALUE);
        assertThat(newestBelow(after, Long.MAX_VALUE)).isEqualTo(latestBefore);
        IndexChecks.assertIndexesAgreeWithScan(log);
        // Reads at every offset still land on whole batches at or after it.
        for (long offset = 0; offset < end; offset++) {
            LogReadResult r = log.read(offset, 500, end);
            assertThat(r.hasData()).isTrue();
            List<TestBatches.Batch> got = TestBatches.batches(TestBatches.read(r.slice()));
            assertThat(got.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
        }
    }

    @Test
    void cleanedSegmentsSurviveAnUncleanRestartAndARecoveryScan() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        fill(log, 300, 10, 0.1);
        m.cleaner().cleanNow(log);
        List<Rec> cleaned = records(log);
        IndexChecks.crash(log);
        managers.remove(m);
        m.halt();
        // No checkpoints were written: recovery validates every segment, cleaned ones included.
        Files.deleteIfExists(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT));
        LogManager again = open(0);
        assertThat(again.offlinePartitions()).isEmpty();
        Log reopened = again.log(tp).orElseThrow();
        assertThat(records(reopened)).isEqualTo(cleaned);
        assertThat(again.cleaner().checkpoints()).containsKey(tp);
    }

    @Test
    void tombstonesRemoveTheKeyAndExpireAfterDeleteRetention() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        log.append(batches.keyed(clock.millis(), new byte[][] {a, b}, new byte[][] {"1".getBytes(), "2".getBytes()}), 0);
        log.append(batches.keyed(clock.millis(), new byte[][] {a}, new byte[][] {null}), 0);
        fill(log, 100, 30, 0);
        m.cleaner().cleanNow(log);
        List<Rec> afterFirst = records(log);
        assertThat(afterFirst).filteredOn(r -> r.key().equals("a")).containsExactly(new Rec(2, "a", null, clock.millis()));
        assertThat(afterFirst).filteredOn(r -> r.key().equals("b")).hasSize(1);

        clock.advance(10_001);
        fill(log, 100, 30, 0);
        m.cleaner().cleanNow(log);
        List<Rec> afterSecond = records(log);
        assertThat(afterSecond).noneMatch(r -> r.key().equals("a"));
        assertThat(afterSecond).filteredOn(r -> r.key().equals("b")).containsExactly(new Rec(1, "b", "2", 1_700_000_000_000L));
        // Offsets stay where they were, gaps and all.
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.read(0, 100, log.logEndOffset()).hasData()).isTrue();
    }

    @Test
    void fullySupersededSegmentsAreRemovedAndLaterPassesOnlyCleanNewData() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        fill(log, 200, 3, 0);
        int segmentsBefore = log.segmentCount();
        LogCleaner.Result first = m.cleaner().cleanNow(log);
        assertThat(first.segmentsRemoved()).isPositive();
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(records(log).stream().filter(r -> r.offset() < first.endOffset()).count()).isLessThanOrEqualTo(3);
        assertThat(m.cleaner().cleanNow(log)).as("nothing dirty").isNull();
        fill(log, 100, 3, 0);
        LogCleaner.Result second = m.cleaner().cleanNow(log);
        assertThat(second.firstDirtyOffset()).isEqualTo(first.endOffset());
        assertThat(Files.readString(dataDir.resolve(LogCleaner.CHECKPOINT_FILE)))
            .contains(tp.topic() + " " + tp.partition() + " " + second.endOffset());
    }

    @Test
    void readersKeepWorkingWhileSegmentsAreSwapped() throws Exception {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT.toBuilder().fileDeleteDelayMs(60_000).build());
        fill(log, 300, 20, 0);
        LogReadResult held = log.read(0, 1 << 20, log.logEndOffset());
        List<TestBatches.Batch> heldBatches = TestBatches.batches(TestBatches.read(held.slice()));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            Random r = new Random(1);
            try {
                while (!stop.get()) {
                    long offset = r.nextInt((int) log.logEndOffset());
                    LogReadResult result = log.read(offset, 2000, log.logEndOffset());
                    if (result.hasData()) {
                        List<TestBatches.Batch> got = TestBatches.batches(TestBatches.read(result.slice()));
                        if (got.get(0).lastOffset() < offset) {
                            throw new AssertionError("read at " + offset + " returned batch ending " + got.get(0).lastOffset());
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        try {
            m.cleaner().cleanNow(log);
        } finally {
            stop.set(true);
            reader.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(TestBatches.batches(TestBatches.read(held.slice())))
            .usingRecursiveFieldByFieldElementComparator().isEqualTo(heldBatches);
    }

    @Test
    void committedSwapIsCompletedAtRestart() throws IOException {
        LogManager m = open(0);
        Log log = m.getOrCreateLog(tp, COMPACT);
        fill(log, 200, 300, 0);
        Path dir = log.dir();
        Path copy = dataDir.resolve("copy");
        Files.createDirectories(copy);
        // Keep uncleaned copies, clean, then put an uncleaned file back beside a .swap holding its cleaned
        // version: a crash between the commit (rename to .swap) and the swap itself.
        for (LogSegment s : log.segmentsSnapshot()) {
            Files.copy(s.logFile(), copy.resolve(s.logFile().getFileName()));
        }
        m.cleaner().cleanNow(log);
        List<Rec> cleaned = records(log);
        Path first = log.segmentsSnapshot().get(0).logFile();
        assertThat(Files.size(first)).isLessThan(Files.size(copy.resolve(first.getFileName())));
        m.close();
        managers.remove(m);
        Files.move(first, LogFileNames.withSuffix(first, LogFileNames.SWAP_SUFFIX));
        Files.copy(copy.resolve(first.getFileName()), first);
        Files.delete(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        FileUtil.deleteRecursively(copy);

        LogManager again = open(0);
        Log reopened = again.log(tp).orElseThrow();
        assertThat(records(reopened)).isEqualTo(cleaned);
        IndexChecks.assertIndexesAgreeWithScan(reopened);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".swap"));
        }
    }

    @Test
    void cleanerThreadCompactsOnItsOwn() {
        LogManager m = open(1);
        Log log = m.getOrCreateLog(tp, COMPACT);
        fill(log, 200, 5, 0);
        await("cleaner thread compacted the log").atMost(Duration.ofSeconds(20))
            .until(() -> m.cleaner().checkpoints().getOrDefault(tp, 0L) >= log.activeSegment().baseOffset());
        assertThat(log.segmentCount()).isLessThan(5);
    }

    @Test
    void damagedBatchMakesTheLogUncleanableAndChangesNothing() throws IOException {
        LogManager m = open(0);
        TopicPartition badTp = new TopicPartition("damaged", 0);
        Log bad = m.getOrCreateLog(badTp, COMPACT.toBuilder().minCleanableDirtyRatio(0.99).build());
        fill(bad, 100, 5, 0);
        LogSegment victim = bad.segmentsSnapshot().get(1);
        try (var ch = java.nio.channels.FileChannel.open(victim.logFile(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7, 7, 7}), victim.size() - 5);
        }
        byte[] damaged = Files.readAllBytes(victim.logFile());
        Map<TopicPartition, Long> before = new HashMap<>(m.cleaner().checkpoints());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.cleaner().cleanNow(bad))
            .isInstanceOf(CorruptLogException.class).hasMessageContaining(victim.logFile().getFileName().toString());
        assertThat(m.uncleanablePartitions()).containsKey(badTp);
        assertThat(Files.readAllBytes(victim.logFile())).isEqualTo(damaged);
        assertThat(m.cleaner().checkpoints().get(badTp)).isEqualTo(before.get(badTp));
    }
}
