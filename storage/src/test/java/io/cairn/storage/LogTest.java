package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final LogEnvironment env = LogTestSupport.env(clock);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(42);
    private final List<Log> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(Log::close);
    }

    private Log open(LogConfig config) {
        Log log = LogTestSupport.open(dataDir, config, env);
        opened.add(log);
        return log;
    }

    private static LogConfig small() {
        return LogConfig.builder().segmentBytes(4096).indexIntervalBytes(256).segmentIndexBytes(1024).build();
    }

    /** Appends {@code count} random batches one by one; returns them as written (offsets assigned). */
    private List<ByteBuffer> appendRandom(Log log, int count, long baseTs) {
        List<ByteBuffer> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer b = batches.batch(random, 1 + random.nextInt(8), random.nextInt(120), baseTs + i * 10L);
            log.append(b, 7);
            written.add(b);
        }
        return written;
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndStampsEpoch() throws IOException {
        Log log = open(LogConfig.defaults());
        ByteBuffer three = TestBatches.concat(List.of(batches.batch(random, 2, 10, 100), batches.batch(random, 5, 10, 200),
            batches.batch(random, 1, 10, 300)));
        LogAppendResult first = log.append(three, 9);
        assertThat(first.firstOffset()).isEqualTo(0);
        assertThat(first.lastOffset()).isEqualTo(7);
        assertThat(first.batchCount()).isEqualTo(3);
        assertThat(first.maxTimestamp()).isEqualTo(300);
        assertThat(first.offsetOfMaxTimestamp()).isEqualTo(7);
        assertThat(first.position()).isEqualTo(0);
        assertThat(three.position()).isZero();
        LogAppendResult second = log.append(batches.batch(random, 3, 10, 400), 9);
        assertThat(second.firstOffset()).isEqualTo(8);
        assertThat(second.position()).isEqualTo(three.remaining());
        assertThat(log.logEndOffset()).isEqualTo(11);
        assertThat(log.highWatermark()).isEqualTo(11);

        List<TestBatches.Batch> all = LogTestSupport.readAll(log, 0);
        assertThat(all).extracting(TestBatches.Batch::baseOffset).containsExactly(0L, 2L, 7L, 8L);
        assertThat(all).extracting(TestBatches.Batch::lastOffset).containsExactly(1L, 6L, 7L, 10L);
        for (TestBatches.Batch b : all) {
            assertThat(b.bytes().getInt(RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET)).isEqualTo(9);
        }
    }

    @Test
    void malformedAppendsAreRefusedAndLeaveTheLogUnchanged() throws IOException {
        Log log = open(LogConfig.builder().maxMessageBytes(500).build());
        log.append(batches.batch(random, 2, 10, 1), 0);
        long sizeBefore = log.sizeInBytes();

        ByteBuffer valid = batches.batch(random, 2, 10, 1);
        ByteBuffer truncated = valid.duplicate();
        truncated.limit(valid.limit() - 1);
        ByteBuffer badMagic = TestBatches.copy(valid);
        badMagic.put(RecordBatchDescriptor.MAGIC_OFFSET, (byte) 1);
        ByteBuffer trailing = TestBatches.concat(List.of(valid, ByteBuffer.wrap(new byte[20])));
        ByteBuffer tooLarge = batches.batch(random, 1, 600, 1);
        ByteBuffer badDelta = TestBatches.copy(valid);
        badDelta.putInt(RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, -1);

        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0), 0)).isInstanceOf(InvalidRecordBatchException.class)
            .hasMessageContaining("EMPTY_BATCH").hasMessageContaining(LogTestSupport.TP.toString());
        assertThatThrownBy(() -> log.append(truncated, 0)).isInstanceOf(InvalidRecordBatchException.class)
            .hasMessageContaining("TRUNCATED_BATCH").hasMessageContaining("position=0");
        assertThatThrownBy(() -> log.append(badMagic, 0)).hasMessageContaining("INVALID_MAGIC");
        assertThatThrownBy(() -> log.append(trailing, 0)).hasMessageContaining("TRAILING_BYTES")
            .hasMessageContaining("position=" + valid.remaining());
        assertThatThrownBy(() -> log.append(tooLarge, 0)).hasMessageContaining("BATCH_TOO_LARGE")
            .hasMessageContaining("max.message.bytes=500");
        assertThatThrownBy(() -> log.append(badDelta, 0)).hasMessageContaining("INVALID_OFFSET_DELTA");

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
        assertThat(Files.size(log.dir().resolve("0000000000000000000.log"))).isEqualTo(sizeBefore);
    }

    @Test
    void readAtEveryOffsetReturnsWholeBatchesFromTheContainingOne() throws IOException {
        Log log = open(small());
        List<ByteBuffer> written = appendRandom(log, 120, 1000);
        assertThat(log.segmentCount()).isGreaterThan(3);
        List<TestBatches.Batch> oracle = new ArrayList<>();
        for (ByteBuffer b : written) {
            oracle.addAll(TestBatches.batches(b));
        }
        long end = log.logEndOffset();
        assertThat(end).isEqualTo(oracle.get(oracle.size() - 1).lastOffset() + 1);
        for (long offset = 0; offset < end; offset++) {
            int maxBytes = random.nextInt(1200);
            long bound = offset + 1 + random.nextInt(40);
            checkRead(log, oracle, offset, maxBytes, end);
            checkRead(log, oracle, offset, maxBytes, bound);
        }
        LogReadResult atEnd = log.read(end, 1000, end);
        assertThat(atEnd.hasData()).isFalse();
        assertThat(atEnd.offsetOutOfRange()).isFalse();
        assertThat(log.read(end + 1, 1000, end).offsetOutOfRange()).isTrue();
        assertThat(log.read(-1, 1000, end).offsetOutOfRange()).isTrue();
    }

    @Test
    void aReadOfSmallBatchesCountsTheirRecordsFromHeadersAlreadyRead() throws IOException {
        Log log = open(LogConfig.defaults());
        List<ByteBuffer> written = appendRandom(log, 3, 1000); // at most ~3 KiB: one 4 KiB header window
        long end = log.logEndOffset();
        LogReadResult all = log.read(0, 1 << 20, end);
        assertThat(all.recordCount()).isEqualTo(end);
        written.addAll(appendRandom(log, 30, 2000));
        end = log.logEndOffset();
        long firstOfLast = TestBatches.batches(written.get(written.size() - 1)).get(0).baseOffset();
        LogReadResult last = log.read(firstOfLast, 1 << 20, end);
        assertThat(last.recordCount()).isEqualTo(end - firstOfLast);
        assertThat(log.read(end, 1 << 20, end).recordCount()).as("nothing read").isZero();
    }

    private static void checkRead(Log log, List<TestBatches.Batch> oracle, long offset, int maxBytes, long bound)
        throws IOException {
        LogReadResult result = log.read(offset, maxBytes, bound);
        assertThat(result.offsetOutOfRange()).isFalse();
        int first = 0;
        while (oracle.get(first).lastOffset() < offset) {
            first++;
        }
        if (oracle.get(first).lastOffset() >= bound) {
            assertThat(result.hasData()).as("read at %d below bound %d", offset, bound).isFalse();
            return;
        }
        assertThat(result.hasData()).as("read at %d", offset).isTrue();
        List<TestBatches.Batch> got = TestBatches.batches(TestBatches.read(result.slice()));
        assertThat(got.get(0).baseOffset()).isEqualTo(oracle.get(first).baseOffset());
        for (int i = 0; i < got.size(); i++) {
            TestBatches.Batch expected = oracle.get(first + i);
            assertThat(got.get(i).baseOffset()).isEqualTo(expected.baseOffset());
            assertThat(got.get(i).bytes()).isEqualTo(expected.bytes());
            assertThat(got.get(i).lastOffset()).isLessThan(bound);
        }
        if (result.recordCount() >= 0) {
            long records = 0;
            for (TestBatches.Batch b : got) {
                records += b.lastOffset() - b.baseOffset() + 1;
            }
            assertThat(result.recordCount()).as("records counted in read at %d", offset).isEqualTo(records);
        }
        int size = result.sizeInBytes();
        if (got.size() > 1) {
            assertThat(size).isLessThanOrEqualTo(maxBytes);
        }
        // Maximal: the next batch would not fit, is past the bound, or lives in the next segment.
        int next = first + got.size();
        if (next < oracle.size() && size + oracle.get(next).size() <= maxBytes && oracle.get(next).lastOffset() < bound) {
            assertThat(segmentOf(log, oracle.get(next).baseOffset())).as("batch %d would have fit", next)
                .isNotEqualTo(segmentOf(log, oracle.get(first).baseOffset()));
        }
    }

    private static long segmentOf(Log log, long offset) {
        long base = -1;
        for (LogSegment s : log.segmentsSnapshot()) {
            if (s.baseOffset() <= offset) {
                base = s.baseOffset();
            }
        }
        return base;
    }

    @Test
    void readReturnsAWholeBatchLargerThanMaxBytes() throws IOException {
        Log log = open(LogConfig.defaults());
        ByteBuffer big = batches.batch(random, 3, 5000, 1);
        log.append(big, 0);
        LogReadResult r = log.read(1, 100, log.logEndOffset());
        assertThat(r.sizeInBytes()).isEqualTo(big.remaining());
        LogReadResult zero = log.read(0, 0, log.logEndOffset());
        assertThat(zero.sizeInBytes()).isEqualTo(big.remaining());
    }

    @Test
    void rollsOnSegmentBytesWithNineteenDigitNames() throws IOException {
        Log log = open(small());
        appendRandom(log, 100, 1);
        List<LogSegment> segments = log.segmentsSnapshot();
        assertThat(segments.size()).isGreaterThan(2);
        for (int i = 0; i < segments.size(); i++) {
            LogSegment s = segments.get(i);
            assertThat(s.size()).isLessThanOrEqualTo(4096);
            assertThat(s.logFile().getFileName().toString()).matches("\\d{19}\\.log");
            if (i > 0) {
                assertThat(s.baseOffset()).isEqualTo(segments.get(i - 1).readNextOffset());
                assertThat(segments.get(i - 1).isSealed()).isTrue();
                assertThat(Files.size(segments.get(i - 1).offsetIndex().file()))
                    .isEqualTo(segments.get(i - 1).offsetIndex().entries() * 8L);
            }
        }
        try (Stream<Path> files = Files.list(log.dir())) {
            assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(segments.size());
        }
    }

    @Test
    void rollsOnSegmentMsAndOnFullIndex() {
        Log log = open(LogConfig.builder().segmentMs(60_000).build());
        log.append(batches.batch(random, 1, 10, 1), 0);
        log.append(batches.batch(random, 1, 10, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(1);
        clock.advance(60_000);
        log.append(batches.batch(random, 1, 10, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.activeSegment().baseOffset()).isEqualTo(2);

        Log tiny = Log.open(dataDir.resolve("tiny-0"), new TopicPartition("tiny", 0),
            LogConfig.builder().indexIntervalBytes(0).segmentIndexBytes(LogConfig.MIN_SEGMENT_INDEX_BYTES).build(), env,
            false, 0, 0);
        opened.add(tiny);
        for (int i = 0; i < 20; i++) {
            tiny.append(batches.batch(random, 1, 10, i), 0);
        }
        // 24-byte indexes: 3 offset entries or 1 regular time entry per segment.
        assertThat(tiny.segmentCount()).isGreaterThan(5);
        for (LogSegment s : tiny.segmentsSnapshot()) {
            assertThat(s.offsetIndex().entries()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void timestampLookupFindsFirstBatchAtOrAfterTarget() {
        Log log = open(small());
        List<TestBatches.Batch> oracle = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            long ts = 10_000 + i * 10L + random.nextInt(50) - 25;
            ByteBuffer b = batches.batch(random, 1 + random.nextInt(3), random.nextInt(100), ts);
            log.append(b, 0);
            oracle.addAll(TestBatches.batches(b));
        }
        for (long target = 9_900; target < 11_700; target += 3) {
            Optional<TimestampOffset> found = log.offsetForTimestamp(target);
            TimestampOffset expected = null;
            for (TestBatches.Batch b : oracle) {
                if (b.maxTimestamp() < target) {
                    continue;
                }
                for (Record r : new RecordBatch(b.bytes(), 0).records()) {
                    if (r.timestamp() >= target) {
                        expected = new TimestampOffset(r.timestamp(), r.offset());
                        break;
                    }
                }
                break;
            }
            assertThat(found).as("target %d", target).isEqualTo(Optional.ofNullable(expected));
        }
    }

    @Test
    void reopenAfterCleanCloseRestoresStateWithoutScanning() throws IOException {
        Log log = open(small());
        appendRandom(log, 80, 1);
        log.flush();
        List<TestBatches.Batch> before = LogTestSupport.readAll(log, 0);
        long end = log.logEndOffset();
        int segments = log.segmentCount();
        log.close();
        Log reopened = Log.open(log.dir(), LogTestSupport.TP, small(), env, true, end, 0);
        opened.add(reopened);
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        assertThat(reopened.recoveryPoint()).isEqualTo(end);
        assertThat(reopened.segmentCount()).isEqualTo(segments);
        assertThat(LogTestSupport.readAll(reopened, 0)).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        appendRandom(reopened, 5, 1000);
        assertThat(reopened.logEndOffset()).isGreaterThan(end);
    }

    @Test
    void truncateToRemovesBatchesAtAndAfterTheOffset() throws IOException {
        Log log = open(small());
        appendRandom(log, 100, 1);
        List<TestBatches.Batch> all = LogTestSupport.readAll(log, 0);
        TestBatches.Batch middle = all.get(50);
        long target = middle.baseOffset() + (middle.lastOffset() - middle.baseOffset()) / 2 + 1;
        log.truncateTo(target);
        long expectedEnd = target > middle.lastOffset() ? middle.lastOffset() + 1 : middle.baseOffset();
        assertThat(log.logEndOffset()).isEqualTo(expectedEnd);
        List<TestBatches.Batch> after = LogTestSupport.readAll(log, 0);
        assertThat(after).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(all.subList(0, target > middle.lastOffset() ? 51 : 50));
        LogAppendResult r = log.append(batches.batch(random, 2, 5, 1), 7);
        assertThat(r.firstOffset()).isEqualTo(expectedEnd);
        assertThat(LogTestSupport.readAll(log, 0)).hasSize(after.size() + 1);
    }

    @Test
    void flushAdvancesTheRecoveryPointAndListenersHearAppends() {
        Log log = open(LogConfig.defaults());
        List<Long> heard = new CopyOnWriteArrayList<>();
        log.addEndOffsetListener((l, end) -> heard.add(end));
        log.append(batches.batch(random, 4, 10, 1), 0);
        log.append(batches.batch(random, 2, 10, 1), 0);
        assertThat(heard).containsExactly(4L, 6L);
        assertThat(log.recoveryPoint()).isZero();
        assertThat(log.flush()).isEqualTo(6);
        assertThat(log.recoveryPoint()).isEqualTo(6);
        long forces = log.flushCount();
        log.flush();
        assertThat(log.flushCount()).as("nothing new to force").isEqualTo(forces);
    }

    @Test
    void configUpdatedAtRuntimeAppliesToTheNextAppend() {
        Log log = open(LogConfig.defaults());
        log.append(batches.batch(random, 5, 100, 1), 0);
        log.append(batches.batch(random, 5, 100, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(1);
        log.updateConfig(LogConfig.builder().segmentBytes(1000).maxMessageBytes(2000).build());
        assertThat(log.config().segmentBytes()).isEqualTo(1000);
        log.append(batches.batch(random, 5, 100, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThatThrownBy(() -> log.append(batches.batch(random, 5, 500, 1), 0))
            .hasMessageContaining("BATCH_TOO_LARGE");
    }

    @Test
    void truncationLowersTheRecoveryPoint() {
        Log log = open(LogConfig.defaults());
        log.append(batches.batch(random, 5, 10, 1), 0);
        log.append(batches.batch(random, 5, 10, 1), 0);
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(10);
        log.truncateTo(5);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.recoveryPoint()).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(5);
    }

    @Test
    void highWatermarkBoundsReads() throws IOException {
        Log log = open(LogConfig.defaults());
        log.append(batches.batch(random, 3, 10, 1), 0);
        log.append(batches.batch(random, 3, 10, 1), 0);
        log.updateHighWatermark(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        LogReadResult r = log.read(0, 1 << 20, log.highWatermark());
        assertThat(TestBatches.batches(TestBatches.read(r.slice()))).hasSize(1);
        assertThat(r.highWatermark()).isEqualTo(3);
        assertThat(log.read(3, 1 << 20, log.highWatermark()).hasData()).isFalse();
        log.updateHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(6);
    }
}
