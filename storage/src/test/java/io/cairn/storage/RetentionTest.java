package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(5);
    private final List<LogManager> managers = new ArrayList<>();
    private final TopicPartition tp = new TopicPartition("retained", 0);

    private static final LogConfig BASE = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(256)
        .segmentIndexBytes(1024).fileDeleteDelayMs(0).build();

    @AfterEach
    void closeAll() {
        managers.forEach(LogManager::close);
    }

    private LogManager open() {
        LogManager m = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(BASE)
            .retentionCheckIntervalMs(3_600_000).build());
        managers.add(m);
        return m;
    }

    /** Appends batches stamped with the clock, advancing it 1 s per batch. */
    private void fill(Log log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(batches.batch(random, 2, 60, clock.millis()), 0);
            clock.advance(1_000);
        }
    }

    private long deletedFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".deleted")).count();
        }
    }

    @Test
    void deletesSegmentsOlderThanRetentionMs() throws IOException {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(20_000).build());
        fill(log, 60);
        List<LogSegment> before = log.segmentsSnapshot();
        assertThat(before.size()).isGreaterThan(4);
        long now = clock.millis();
        int expired = 0;
        for (LogSegment s : before) {
            if (now - s.maxTimestamp() > 20_000) {
                expired++;
            } else {
                break;
            }
        }
        assertThat(expired).isBetween(1, before.size() - 1);
        assertThat(m.retentionPass()).isEqualTo(expired);
        List<LogSegment> after = log.segmentsSnapshot();
        assertThat(after).isEqualTo(before.subList(expired, before.size()));
        assertThat(log.logStartOffset()).isEqualTo(after.get(0).baseOffset());
        assertThat(log.read(0, 1000, log.logEndOffset()).offsetOutOfRange()).isTrue();
        assertThat(LogTestSupport.readAll(log, log.logStartOffset()).get(0).baseOffset()).isEqualTo(log.logStartOffset());
        assertThat(deletedFiles(log.dir())).isZero();
        assertThat(Files.exists(before.get(0).offsetIndex().file())).isFalse();
        assertThat(m.retentionPass()).isZero();
    }

    @Test
    void expiredActiveSegmentIsRolledAndDeleted() {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(5_000).build());
        fill(log, 3);
        long end = log.logEndOffset();
        clock.advance(60_000);
        assertThat(m.retentionPass()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(end);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.sizeInBytes()).isZero();
        assertThat(log.append(batches.batch(random, 1, 1, clock.millis()), 0).firstOffset()).isEqualTo(end);
    }

    @Test
    void deletesOldestSegmentsWhileOverRetentionBytes() {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(-1).retentionBytes(5_000).build());
        fill(log, 80);
        long total = log.sizeInBytes();
        List<LogSegment> before = log.segmentsSnapshot();
        long excess = total - 5_000;
        int expected = 0;
        for (LogSegment s : before) {
            if (excess - s.size() >= 0) {
                excess -= s.size();
                expected++;
            } else {
                break;
            }
        }
        assertThat(expected).isPositive();
        assertThat(m.retentionPass()).isEqualTo(expected);
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(5_000);
        assertThat(log.sizeInBytes() - log.segmentsSnapshot().get(0).size()).isLessThan(5_000);
    }

    @Test
    void neverDeletesAtOrAboveTheHighWatermarkNorForCompactOnly() {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(1).build());
        fill(log, 40);
        List<LogSegment> segments = log.segmentsSnapshot();
        log.updateHighWatermark(segments.get(2).baseOffset());
        clock.advance(100_000);
        assertThat(m.retentionPass()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(segments.get(2).baseOffset());

        Log compacted = m.getOrCreateLog(new TopicPartition("compacted", 0),
            BASE.toBuilder().retentionMs(1).cleanupPolicy(CleanupPolicy.COMPACT).build());
        fill(compacted, 40);
        clock.advance(100_000);
        int before = compacted.segmentCount();
        m.retentionPass();
        assertThat(compacted.segmentCount()).isEqualTo(before);
        assertThat(compacted.logStartOffset()).isZero();
    }

    @Test
    void segmentsBelowAnAdvancedLogStartOffsetGo() {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(-1).build());
        fill(log, 40);
        List<LogSegment> segments = log.segmentsSnapshot();
        long target = segments.get(3).baseOffset() + 1;
        log.advanceLogStartOffset(target);
        assertThat(log.read(target - 1, 100, log.logEndOffset()).offsetOutOfRange()).isTrue();
        assertThat(m.retentionPass()).isEqualTo(3);
        assertThat(log.logStartOffset()).isEqualTo(target);
        assertThat(log.segmentsSnapshot().get(0)).isSameAs(segments.get(3));
    }

    @Test
    void deletionIsCrashSafeAndReadersKeepTheirSlices() throws IOException {
        LogManager m = open();
        Log log = m.getOrCreateLog(tp, BASE.toBuilder().retentionMs(10_000).fileDeleteDelayMs(3_600_000).build());
        fill(log, 60);
        LogReadResult held = log.read(0, 100_000, log.logEndOffset());
        List<TestBatches.Batch> heldBatches = TestBatches.batches(TestBatches.read(held.slice()));
        int deleted = m.retentionPass();
        assertThat(deleted).isPositive();
        assertThat(deletedFiles(log.dir())).isEqualTo(3L * deleted);
        // The slice handed out before deletion still reads the same bytes.
        assertThat(TestBatches.batches(TestBatches.read(held.slice())))
            .usingRecursiveFieldByFieldElementComparator().isEqualTo(heldBatches);
        long start = log.logStartOffset();
        List<TestBatches.Batch> content = LogTestSupport.readAll(log, start);

        // Crash before the delayed removal and before any checkpoint.
        IndexChecks.crash(log);
        managers.remove(m);
        m.halt();
        LogManager again = open();
        Log reopened = again.log(tp).orElseThrow();
        assertThat(deletedFiles(reopened.dir())).isZero();
        assertThat(reopened.logStartOffset()).isEqualTo(start);
        assertThat(LogTestSupport.readAll(reopened, start)).usingRecursiveFieldByFieldElementComparator().isEqualTo(content);
    }
}
