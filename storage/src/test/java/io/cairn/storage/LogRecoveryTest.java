package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecoveryTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final LogEnvironment env = LogTestSupport.env(clock);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(7);
    private final List<Log> opened = new ArrayList<>();

    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(8192).indexIntervalBytes(300)
        .segmentIndexBytes(4096).build();

    @AfterEach
    void closeLogs() {
        opened.forEach(Log::close);
    }

    private Log reopen(Path dir, long recoveryPoint) {
        Log log = Log.open(dir, LogTestSupport.TP, CONFIG, env, false, recoveryPoint, 0);
        opened.add(log);
        return log;
    }

    private Log filled(int batchCount) {
        Log log = LogTestSupport.open(dataDir, CONFIG, env);
        for (int i = 0; i < batchCount; i++) {
            log.append(batches.batch(random, 1 + random.nextInt(5), random.nextInt(200), 1000 + i), 0);
        }
        return log;
    }

    private static void overwrite(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    @Test
    void tornTailOfActiveSegmentIsTruncatedAtTheLastWholeBatch() throws IOException {
        Log log = filled(60);
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        LogSegment active = log.activeSegment();
        Path file = active.logFile();
        int cut = active.size() - 10;
        IndexChecks.crash(log);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        Log recovered = reopen(log.dir(), 0);
        List<TestBatches.Batch> after = LogTestSupport.readAll(recovered, 0);
        assertThat(after).usingRecursiveFieldByFieldElementComparator().isEqualTo(before.subList(0, before.size() - 1));
        assertThat(recovered.logEndOffset()).isEqualTo(before.get(before.size() - 2).lastOffset() + 1);
        assertThat(Files.size(file)).isEqualTo(recovered.activeSegment().size());
        IndexChecks.assertIndexesAgreeWithScan(recovered);
        recovered.append(batches.batch(random, 3, 10, 5), 0);
        assertThat(recovered.logEndOffset()).isEqualTo(before.get(before.size() - 2).lastOffset() + 4);
    }

    @Test
    void corruptBatchInTheActiveSegmentTruncatesThere() throws IOException {
        Log log = filled(60);
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        LogSegment active = log.activeSegment();
        long activeBase = active.baseOffset();
        List<TestBatches.Batch> inActive = before.stream().filter(b -> b.baseOffset() >= activeBase).toList();
        assertThat(inActive.size()).isGreaterThan(2);
        int position = inActive.get(0).size();
        IndexChecks.crash(log);
        overwrite(active.logFile(), position + 40, new byte[] {1, 2, 3});
        Log recovered = reopen(log.dir(), 0);
        int kept = before.indexOf(inActive.get(0)) + 1;
        assertThat(LogTestSupport.readAll(recovered, 0)).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(before.subList(0, kept));
        IndexChecks.assertIndexesAgreeWithScan(recovered);
    }

    @Test
    void corruptBatchInTheMiddleOfASealedSegmentIsReportedAndNothingChanges() throws IOException {
        Log log = filled(60);
        assertThat(log.segmentCount()).isGreaterThan(2);
        LogSegment sealed = log.segmentsSnapshot().get(1);
        Path file = sealed.logFile();
        long size = Files.size(file);
        IndexChecks.crash(log);
        overwrite(file, size / 2, new byte[] {(byte) 0xde, (byte) 0xad});
        byte[] damaged = Files.readAllBytes(file);
        assertThatThrownBy(() -> reopen(log.dir(), 0))
            .isInstanceOf(CorruptLogException.class)
            .hasMessageContaining(LogTestSupport.TP.toString())
            .hasMessageContaining(file.getFileName().toString())
            .hasMessageContaining("position=")
            .hasMessageContaining("valid batches follow")
            .satisfies(e -> assertThat(((CorruptLogException) e).file()).isEqualTo(file));
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
        try (var files = Files.list(log.dir())) {
            assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(log.segmentCount());
        }
    }

    @Test
    void damageBelowTheRecoveryPointIsReportedNotTruncated() throws IOException {
        Log log = filled(10);
        long end = log.logEndOffset();
        log.flush();
        LogSegment active = log.activeSegment();
        IndexChecks.crash(log);
        overwrite(active.logFile(), active.size() / 3, new byte[] {9, 9, 9, 9});
        assertThatThrownBy(() -> reopen(log.dir(), end))
            .isInstanceOf(CorruptLogException.class)
            .hasMessageContaining("below the recovery point " + end);
        assertThat(Files.size(active.logFile())).isEqualTo(active.size());
    }

    @Test
    void tornTailOfAnUnflushedSealedSegmentTruncatesAndDropsLaterSegments() throws IOException {
        Log log = filled(60);
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        LogSegment second = log.segmentsSnapshot().get(1);
        Path file = second.logFile();
        long size = Files.size(file);
        IndexChecks.crash(log);
        // Power loss: the file kept its length but its last pages never reached the disk.
        overwrite(file, size - 100, new byte[100]);
        Log recovered = reopen(log.dir(), 0);
        assertThat(recovered.segmentCount()).isEqualTo(2);
        List<TestBatches.Batch> after = LogTestSupport.readAll(recovered, 0);
        assertThat(after).isNotEmpty();
        assertThat(after).usingRecursiveFieldByFieldElementComparator().isEqualTo(before.subList(0, after.size()));
        assertThat(recovered.logEndOffset()).isEqualTo(after.get(after.size() - 1).lastOffset() + 1);
        assertThat(recovered.logEndOffset()).isLessThan(before.get(before.size() - 1).lastOffset());
        IndexChecks.assertIndexesAgreeWithScan(recovered);
    }

    @Test
    void damagedIndexesOfTrustedSegmentsAreRebuilt() throws IOException {
        Log log = filled(60);
        log.flush();
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        long end = log.logEndOffset();
        log.close();
        LogSegment first = log.segmentsSnapshot().get(0);
        // Garbage in the last entry of a sealed segment's index.
        long indexSize = Files.size(first.offsetIndex().file());
        assertThat(indexSize).isGreaterThanOrEqualTo(16);
        overwrite(first.offsetIndex().file(), indexSize - 8, new byte[8]);
        Files.delete(first.timeIndex().file());
        Log reopened = Log.open(log.dir(), LogTestSupport.TP, CONFIG, env, true, end, 0);
        opened.add(reopened);
        assertThat(LogTestSupport.readAll(reopened, 0)).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        IndexChecks.assertIndexesAgreeWithScan(reopened);
        assertThat(reopened.segmentsSnapshot().get(0).offsetIndex().entries()).isGreaterThan(1);
    }

    @Test
    void leftoversOfInterruptedOperationsAreCleanedUp() throws IOException {
        Log log = filled(30);
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        Path dir = log.dir();
        IndexChecks.crash(log);
        Files.write(dir.resolve("0000000000000099999.log.deleted"), new byte[10]);
        Files.write(dir.resolve("0000000000000000000.log.cleaned"), new byte[10]);
        Files.write(dir.resolve("0000000000000088888.index"), new byte[16]);
        Files.write(dir.resolve("0000000000000088888.timeindex.swap"), new byte[12]);
        Log recovered = reopen(dir, 0);
        assertThat(LogTestSupport.readAll(recovered, 0)).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                .allMatch(n -> n.matches("\\d{19}\\.(log|index|timeindex)|" + LeaderEpochCheckpointFile.NAME));
        }
    }

    @Test
    void unexpectedFileNameIsReported() throws IOException {
        Log log = filled(1);
        log.close();
        Files.write(log.dir().resolve("12.log"), new byte[0]);
        assertThatThrownBy(() -> reopen(log.dir(), 0)).isInstanceOf(StorageException.class)
            .hasMessageContaining("12.log").hasMessageContaining("19 digits");
    }
}
