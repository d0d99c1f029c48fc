package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 6: a crash at every step of a segment roll, a retention delete and a
 * compaction swap. A step is any file-system change made through the {@link FileChannelFactory}
 * seam: opening a file for writing, a write, a truncate, a force, a rename, a delete. For each
 * procedure the steps are counted once; then for k = 1..N the same starting log is built afresh, the
 * procedure runs with {@link FaultInjector#crashAtStep} k (step k and everything after it fail, as if
 * the process were killed there), the manager is abandoned ({@link LogManager#halt()}), and a fresh
 * manager opens the directory. It must find: the partition online; every record that was durable
 * before the procedure still readable at its offset, byte for byte, except what the procedure itself
 * removes (expired segments, superseded keys); no offset twice; indexes that agree with a scan; and no
 * file in transit ({@code .cleaned}, {@code .swap}, {@code .deleted}, {@code .tmp}) or index without
 * its log. Forces are counted but not passed to the disk: a process crash keeps the page cache.
 */
class CrashStepsTest {
    private static final TopicPartition TP = new TopicPartition("steps", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{19}\\.(log|index|timeindex)|"
        + LeaderEpochCheckpointFile.NAME);
    private static final Set<String> DATA_DIR_FILES = Set.of(LogManager.LOCK_FILE, LogManager.CLEAN_SHUTDOWN_FILE,
        LogManager.RECOVERY_POINT_CHECKPOINT, LogManager.LOG_START_CHECKPOINT, LogCleaner.CHECKPOINT_FILE, TP.dirName());

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW);

    /** What a procedure did, as a function of the starting log. */
    @FunctionalInterface
    interface Procedure {
        void run(LogManager manager, Log log) throws Exception;
    }

    /** Checks the reopened log against the durable starting state. */
    @FunctionalInterface
    interface Check {
        void verify(Log reopened, List<TestBatches.Batch> before, String caseName) throws IOException;
    }

    @Test
    void crashAtEveryStepOfASegmentRoll() throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(2000).indexIntervalBytes(200).segmentIndexBytes(1024).build();
        List<ByteBuffer> extra = new ArrayList<>();
        int steps = crashAtEveryStep("roll", config, 30, (m, log) -> {
            ByteBuffer b = new TestBatches().batch(new Random(99), 3, 50, NOW + 1000);
            extra.clear();
            log.roll();
            log.append(b, 0);
            extra.add(b);
            m.flushAsync(log, log.logEndOffset()).get();
        }, (reopened, before, name) -> {
            List<TestBatches.Batch> after = LogTestSupport.readAll(reopened, 0);
            assertThat(after.size()).as(name).isBetween(before.size(), before.size() + 1);
            assertThat(after.subList(0, before.size())).as(name + ": durable records").containsExactlyElementsOf(before);
            if (after.size() > before.size()) {
                assertThat(after.get(before.size())).as(name + ": the appended batch")
                    .isEqualTo(TestBatches.batches(extra.get(0)).get(0));
            }
        });
        assertThat(steps).as("steps of a roll, an append and a flush").isGreaterThanOrEqualTo(8);
    }

    @Test
    void crashAtEveryStepOfARetentionDelete() throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(1200).indexIntervalBytes(200).segmentIndexBytes(1024)
            .retentionBytes(2500).fileDeleteDelayMs(0).build();
        int steps = crashAtEveryStep("retention", config, 40, (m, log) -> {
            assertThat(m.retentionPass()).isPositive();
            m.checkpoint();
        }, (reopened, before, name) -> {
            List<TestBatches.Batch> after = LogTestSupport.readAll(reopened, reopened.logStartOffset());
            assertThat(after).as(name).isNotEmpty();
            int from = before.indexOf(after.get(0));
            assertThat(from).as(name + ": the log starts at a batch that was there").isNotNegative();
            assertThat(after).as(name + ": a suffix of the durable records")
                .containsExactlyElementsOf(before.subList(from, before.size()));
            assertThat(reopened.logStartOffset()).as(name).isEqualTo(after.get(0).baseOffset());
        });
        assertThat(steps).as("steps of a retention pass and a checkpoint").isGreaterThanOrEqualTo(6);
    }

    @Test
    void crashAtEveryStepOfACompactionSwap() throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(1500).indexIntervalBytes(200).segmentIndexBytes(1024)
            .cleanupPolicy(CleanupPolicy.COMPACT).minCleanableDirtyRatio(0).fileDeleteDelayMs(0).build();
        int steps = crashAtEveryStep("compaction", config, 60, (m, log) -> {
            LogCleaner.Result r = m.cleaner().cleanNow(log);
            assertThat(r).isNotNull();
            // the log was cleaned once before (prepare), so this pass merges the cleaned segments and
            // the crashes also fall between renaming merged segments for deletion and moving the swap in
            assertThat(r.segmentsMerged()).as("segments merged").isPositive();
        }, (reopened, before, name) -> {
            Map<Long, String> original = new HashMap<>();
            Map<String, Long> newest = new HashMap<>();
            for (TestBatches.Batch b : before) {
                for (Record r : new RecordBatch(b.bytes(), 0).records()) {
                    String rec = key(r) + "=" + value(r);
                    original.put(r.offset(), rec);
                    newest.put(key(r), r.offset());
                }
            }
            Set<Long> seen = new HashSet<>();
            long last = -1;
            // Compaction never moves the log start, not even across a restart (regression: a first segment
            // whose records were all superseded was removed, and the next open started the log after it).
            assertThat(reopened.logStartOffset()).as(name + ": log start").isZero();
            for (TestBatches.Batch b : LogTestSupport.readAll(reopened, 0)) {
                for (Record r : new RecordBatch(b.bytes(), 0).records()) {
                    assertThat(r.offset()).as(name + ": offsets increase").isGreaterThan(last);
                    last = r.offset();
                    seen.add(r.offset());
                    assertThat(key(r) + "=" + value(r)).as(name + ": record at offset %d", r.offset())
                        .isEqualTo(original.get(r.offset()));
                }
            }
            for (Map.Entry<String, Long> e : newest.entrySet()) {
                assertThat(seen).as(name + ": newest record of " + e.getKey()).contains(e.getValue());
            }
            assertThat(reopened.logEndOffset()).as(name).isEqualTo(before.get(before.size() - 1).lastOffset() + 1);
        });
        assertThat(steps).as("steps of a cleaning pass").isGreaterThanOrEqualTo(10);
    }

    private static String key(Record r) {
        return StandardCharsets.UTF_8.decode(r.key()).toString();
    }

    private static String value(Record r) {
        return r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : "<null>";
    }

    /**
     * Runs {@code procedure} once to count its steps, then once per step crashing there; returns the
     * step count.
     */
    private int crashAtEveryStep(String name, LogConfig config, int batchCount, Procedure procedure, Check check)
        throws IOException {
        Path template = tmp.resolve(name + "-template");
        List<TestBatches.Batch> before = prepare(template, config, new FaultInjector().withoutRealForces(), batchCount);
        FaultInjector counter = new FaultInjector().withoutRealForces();
        copyDir(template, tmp.resolve(name + "-count"));
        LogManager m = open(tmp.resolve(name + "-count"), config, counter);
        counter.countSteps();
        try {
            procedure.run(m, m.log(TP).orElseThrow());
        } catch (Exception e) {
            throw new AssertionError(name + " without a crash failed", e);
        }
        int steps = (int) counter.stepsTaken();
        List<String> trace = counter.steps();
        m.halt();
        assertThat(steps).as(name + " steps").isPositive();

        for (int k = 1; k <= steps; k++) {
            Path dataDir = tmp.resolve(name + "-" + k);
            FaultInjector disk = new FaultInjector().withoutRealForces();
            copyDir(template, dataDir);
            LogManager crashing = open(dataDir, config, disk);
            disk.crashAtStep(k);
            try {
                procedure.run(crashing, crashing.log(TP).orElseThrow());
            } catch (Exception | AssertionError e) {
                // The crash: whatever the procedure was doing stops here.
            }
            String caseName = name + " crashed at step " + k + " of " + steps + " (" + trace.get(k - 1) + ")";
            assertThat(disk.crashed()).as(caseName + ": the crash happened").isTrue();
            crashing.halt();

            LogManager reopened = open(dataDir, config, new FaultInjector().withoutRealForces());
            try {
                assertThat(reopened.offlinePartitions()).as(caseName).isEmpty();
                Log log = reopened.log(TP).orElseThrow();
                check.verify(log, before, caseName);
                IndexChecks.assertIndexesAgreeWithScan(log);
                assertNoFilesInTransit(dataDir, log, caseName);
            } finally {
                reopened.close();
            }
        }
        System.out.printf("crash steps: %s has %d steps; %d crashes, each recovered consistent with no file in transit%n",
            name, steps, steps);
        return steps;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    /**
     * Writes the starting log (keyed batches over few keys, timestamps rising), durable; returns its
     * batches. A compacted log is cleaned once halfway, so a later pass has cleaned segments to merge.
     */
    private List<TestBatches.Batch> prepare(Path dataDir, LogConfig config, FaultInjector disk, int batchCount) {
        LogManager m = open(dataDir, config, disk);
        Log log = m.getOrCreateLog(TP, config);
        Random random = new Random(7);
        // enough keys for a compacted log that most cleaned segments keep a record, and so merge later
        int keyCount = config.cleanupPolicy().compacts() ? 20 : 5;
        TestBatches batches = new TestBatches();
        List<TestBatches.Batch> written = new ArrayList<>();
        for (int i = 0; i < batchCount; i++) {
            int n = 1 + random.nextInt(3);
            byte[][] keys = new byte[n][];
            byte[][] values = new byte[n][];
            for (int j = 0; j < n; j++) {
                keys[j] = ("key-" + random.nextInt(keyCount)).getBytes(StandardCharsets.UTF_8);
                values[j] = ("value-" + i + "-" + j + "-" + "x".repeat(random.nextInt(40))).getBytes(StandardCharsets.UTF_8);
            }
            ByteBuffer b = batches.keyed(NOW + i, keys, values);
            log.append(b, 0);
            written.addAll(TestBatches.batches(b));
            if (i == batchCount / 2 && config.cleanupPolicy().compacts()) {
                assertThat(m.cleaner().cleanNow(log)).as("first cleaning while preparing").isNotNull();
            }
        }
        log.flush();
        m.close();
        return written;
    }

    private LogManager open(Path dataDir, LogConfig config, FileChannelFactory channels) {
        return LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(config)
            .channels(channels).cleanerThreads(0).build());
    }

    /** Only live segment files (each segment with its two indexes) and the manager's own files remain. */
    private static void assertNoFilesInTransit(Path dataDir, Log log, String caseName) throws IOException {
        Set<String> expected = new HashSet<>();
        for (LogSegment s : log.segmentsSnapshot()) {
            String base = s.logFile().getFileName().toString().replace(LogFileNames.LOG_SUFFIX, "");
            expected.add(base + LogFileNames.LOG_SUFFIX);
            expected.add(base + LogFileNames.INDEX_SUFFIX);
            expected.add(base + LogFileNames.TIME_INDEX_SUFFIX);
        }
        Set<String> found = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(log.dir())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                assertThat(name).as(caseName + ": partition file").matches(SEGMENT_FILE);
                if (!name.equals(LeaderEpochCheckpointFile.NAME)) {
                    found.add(name);
                }
            }
        }
        assertThat(found).as(caseName + ": segment files").isEqualTo(expected);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir)) {
            for (Path f : files) {
                assertThat(DATA_DIR_FILES).as(caseName + ": data directory file").contains(f.getFileName().toString());
            }
        }
    }
}
