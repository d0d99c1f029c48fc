package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FileSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3, torn or garbage tail. A few small logs (a sealed segment and an active one, left as
 * a crash leaves them: indexes untrimmed) are built once and kept in memory. Each case writes one
 * of them back with its active segment cut at a random byte and 1–1024 random bytes appended to the
 * {@code .log}, and its {@code .index} and {@code .timeindex} cut and extended with random bytes too,
 * then opens it as after an unclean shutdown with a recovery point at or below the cut. Every case
 * must open without an exception, keep exactly the whole valid batches before the cut, end there,
 * have indexes that agree with a scan, answer offset and timestamp lookups right, and take appends.
 * {@code -Dcairn.torntail.cases=N} runs more cases (default 10,000).
 */
class TornTailTest {
    private static final int CASES = Integer.getInteger("cairn.torntail.cases", 10_000);
    private static final TopicPartition TP = LogTestSupport.TP;

    @TempDir
    Path tmp;

    /** One prebuilt log: its files' bytes and the batches of each segment. */
    private record Template(LogConfig config, List<Path> names, List<byte[]> contents, long activeBase,
                            byte[] activeLog, byte[] activeIndex, byte[] activeTimeIndex,
                            List<TestBatches.Batch> sealedBatches, List<TestBatches.Batch> activeBatches,
                            List<Integer> sealedSizes) {
    }

    @Test
    void aTornOrGarbageTailEndsTheLogAtTheLastWholeValidBatch() throws IOException {
        long startNs = System.nanoTime();
        long startCpuMs = CpuTime.processMs();
        // Durability is not under test here: forces go nowhere, which keeps a case cheap.
        LogEnvironment env = new LogEnvironment(Clock.systemUTC(), PowerLossFileSystem.REAL_WITHOUT_FSYNC,
            null, (l, e) -> { }, null, null);
        List<Template> templates = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            templates.add(build(new Random(1000 + t), tmp.resolve("template-" + t), env));
        }
        Path dir = tmp.resolve("case").resolve(TP.dirName());
        Random r = new Random(42);
        long batchesKept = 0;
        long batchesCut = 0;
        Template current = null;
        for (int c = 0; c < CASES; c++) {
            Template t = templates.get(r.nextInt(templates.size()));
            if (t != current) {
                FileUtil.deleteRecursively(dir);
                Files.createDirectories(dir);
                for (int i = 0; i < t.names().size(); i++) {
                    Files.write(dir.resolve(t.names().get(i)), t.contents().get(i));
                }
                current = t;
            }
            int cut = r.nextInt(t.activeLog().length + 1);
            Files.write(dir.resolve(LogFileNames.logFile(dir, t.activeBase()).getFileName()),
                tornCopy(t.activeLog(), cut, r));
            Files.write(LogFileNames.indexFile(dir, t.activeBase()),
                tornCopy(t.activeIndex(), r.nextInt(t.activeIndex().length + 1), r));
            Files.write(LogFileNames.timeIndexFile(dir, t.activeBase()),
                tornCopy(t.activeTimeIndex(), r.nextInt(t.activeTimeIndex().length + 1), r));

            List<TestBatches.Batch> expected = new ArrayList<>(t.sealedBatches());
            int position = 0;
            for (TestBatches.Batch b : t.activeBatches()) {
                position += b.size();
                if (position > cut) {
                    break;
                }
                expected.add(b);
            }
            batchesKept += expected.size() - t.sealedBatches().size();
            batchesCut += t.activeBatches().size() - (expected.size() - t.sealedBatches().size());
            // The recovery point (what a checkpoint could say was forced) is at or below the damage.
            long firstLost = expected.isEmpty() ? 0 : expected.get(expected.size() - 1).lastOffset() + 1;
            // Mostly inside the active segment (only it is scanned); sometimes lower, so sealed segments are scanned too.
            int choice = r.nextInt(10);
            long recoveryPoint = choice == 0 ? 0 : choice == 1 ? Math.min(t.activeBase(), firstLost)
                : Math.min(firstLost, t.activeBase() + 1 + r.nextInt(Math.max(1, (int) (firstLost - t.activeBase()))));
            String ctx = "case " + c + " (cut=" + cut + ", recoveryPoint=" + recoveryPoint + ")";
            Log log = Log.open(dir, TP, t.config(), env, false, recoveryPoint, 0);
            try {
                check(ctx, log, expected, t.activeBase(), t.sealedSizes(), t.sealedBatches().size(), r);
            } finally {
                // Close the files only (no trim, no index force): the next case rewrites the active segment anyway.
                IndexChecks.crash(log);
            }
            restoreTemplate(dir, t);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.printf("TornTailTest: cases=%d activeBatchesKept=%d activeBatchesCut=%d uncaughtExceptions=0 in %d ms (process CPU %d ms)%n",
            CASES, batchesKept, batchesCut, ms, CpuTime.processMs() - startCpuMs);
    }

    /**
     * Undoes what a case changed outside the active segment's files (rewritten by the next case):
     * a segment rolled by the append after recovery, and any sealed file recovery rewrote.
     */
    private static void restoreTemplate(Path dir, Template t) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                long base = LogFileNames.baseOffsetOf(p.getFileName().toString());
                if (base != t.activeBase() && !t.names().contains(p.getFileName())) {
                    Files.delete(p);
                }
            }
        }
        for (int i = 0; i < t.names().size(); i++) {
            Path p = dir.resolve(t.names().get(i));
            if (!Files.exists(p) || Files.size(p) != t.contents().get(i).length) {
                Files.write(p, t.contents().get(i));
            }
        }
    }

    /** The first {@code cut} bytes followed by 1–1024 random bytes (the first differing from the byte it replaces). */
    private static byte[] tornCopy(byte[] content, int cut, Random r) {
        int garbage = 1 + r.nextInt(1024);
        byte[] out = Arrays.copyOf(content, cut + garbage);
        byte[] tail = new byte[garbage];
        r.nextBytes(tail);
        if (cut < content.length && tail[0] == content[cut]) {
            // Damage must damage: a first byte equal to the one it replaces would leave that batch whole.
            tail[0] ^= 1;
        }
        System.arraycopy(tail, 0, out, cut, garbage);
        return out;
    }

    private static void check(String ctx, Log log, List<TestBatches.Batch> expected, long activeBase,
                              List<Integer> sealedSizes, int sealedCount, Random r) throws IOException {
        // Sealed segments were never damaged: their size and last batch show they are whole; the active
        // segment is compared batch by batch.
        List<LogSegment> segments = log.segmentsSnapshot();
        assertThat(segments).as(ctx + ": segments").hasSize(sealedSizes.size() + 1);
        for (int i = 0; i < sealedSizes.size(); i++) {
            assertThat(segments.get(i).size()).as(ctx + ": sealed segment %d size", i).isEqualTo(sealedSizes.get(i));
        }
        List<TestBatches.Batch> got = LogTestSupport.readAll(log, sealedCount == 0 ? 0 : expected.get(sealedCount - 1).baseOffset());
        List<TestBatches.Batch> want = expected.subList(Math.max(0, sealedCount - 1), expected.size());
        assertThat(got).as(ctx + ": batch count").hasSize(want.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).bytes()).as(ctx + ": batch %d", i).isEqualTo(want.get(i).bytes());
        }
        long end = Math.max(activeBase, expected.isEmpty() ? 0 : expected.get(expected.size() - 1).lastOffset() + 1);
        assertThat(log.logEndOffset()).as(ctx + ": end offset").isEqualTo(end);
        IndexChecks.assertIndexesAgreeWithScan(log.activeSegment());
        got = expected;
        for (int i = 0; i < 3 && !got.isEmpty(); i++) {
            TestBatches.Batch target = got.get(got.size() - 1 - r.nextInt(Math.min(got.size(), 8)));
            FileSlice slice = log.read(target.lastOffset(), 1, end).slice();
            assertThat(TestBatches.batches(TestBatches.read(slice)).get(0).baseOffset()).as(ctx + ": lookup")
                .isEqualTo(target.baseOffset());
            Optional<TimestampOffset> byTime = log.offsetForTimestamp(target.maxTimestamp());
            assertThat(byTime).as(ctx + ": timestamp lookup").isPresent();
            assertThat(byTime.get().offset()).as(ctx + ": timestamp lookup").isLessThanOrEqualTo(target.lastOffset());
        }
        LogAppendResult again = log.append(new TestBatches().batch(r, 2, 10, 5), 0);
        assertThat(again.firstOffset()).as(ctx + ": append after recovery").isEqualTo(end);
    }

    /** A log of three segments left as a crash leaves it; returns its files and batches. */
    private static Template build(Random r, Path dataDir, LogEnvironment env) throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(3000 + r.nextInt(2000)).indexIntervalBytes(r.nextInt(400))
            .segmentIndexBytes(512 + r.nextInt(512)).build();
        Log log = Log.open(dataDir.resolve(TP.dirName()), TP, config, env, false, 0, 0);
        TestBatches batches = new TestBatches();
        long ts = 1_000_000;
        while (log.segmentCount() < 2 || log.activeSegment().size() < 2500) {
            List<ByteBuffer> parts = new ArrayList<>();
            int n = r.nextInt(4) == 0 ? 2 : 1;
            for (int i = 0; i < n; i++) {
                parts.add(batches.batch(r, 1 + r.nextInt(4), r.nextInt(120), ts));
                ts += 1 + r.nextInt(20);
            }
            log.append(TestBatches.concat(parts), 0);
        }
        long activeBase = log.activeSegment().baseOffset();
        List<Integer> sealedSizes = new ArrayList<>();
        for (LogSegment s : log.segmentsSnapshot()) {
            if (s.baseOffset() != activeBase) {
                sealedSizes.add(s.size());
            }
        }
        List<TestBatches.Batch> all = LogTestSupport.readAll(log, 0);
        Path dir = log.dir();
        IndexChecks.crash(log);
        List<Path> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                if (LogFileNames.baseOffsetOf(p.getFileName().toString()) != activeBase) {
                    names.add(p.getFileName());
                    contents.add(Files.readAllBytes(p));
                }
            }
        }
        List<TestBatches.Batch> sealed = all.stream().filter(b -> b.baseOffset() < activeBase).toList();
        List<TestBatches.Batch> active = all.stream().filter(b -> b.baseOffset() >= activeBase).toList();
        return new Template(config, names, contents, activeBase, Files.readAllBytes(LogFileNames.logFile(dir, activeBase)),
            Files.readAllBytes(LogFileNames.indexFile(dir, activeBase)),
            Files.readAllBytes(LogFileNames.timeIndexFile(dir, activeBase)), sealed, active, sealedSizes);
    }
}
