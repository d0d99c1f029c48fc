package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cairn.protocol.record.RecordBatchDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch headers read with {@code pread} through {@link BatchHeaderReader}: every header of
 * segments holding batches from a few dozen bytes to more than the largest read window reads back
 * as written, from a forward scan (windows growing, header-only reads after large batches) and in
 * random order, up to the last byte of each segment, across segment rolls, after a truncation and
 * new appends at the same positions; damaged headers are refused with the file and the position;
 * and no read maps the {@code .log} file.
 */
class BatchHeaderReaderTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final LogEnvironment env = LogTestSupport.env(clock);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(7);
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

    private static LogConfig config() {
        return LogConfig.builder().segmentBytes(256 * 1024).indexIntervalBytes(4096).build();
    }

    /**
     * A batch of one of three kinds: a few dozen bytes, a few KiB (below the header-only threshold),
     * or 10-90 KiB (above it and, at the top, above the largest window).
     */
    private ByteBuffer mixedBatch(long ts) {
        int kind = random.nextInt(3);
        if (kind == 0) {
            return batches.batch(random, 1 + random.nextInt(3), random.nextInt(16), ts);
        }
        if (kind == 1) {
            return batches.batch(random, 1 + random.nextInt(4), 200 + random.nextInt(1500), ts);
        }
        return batches.batch(random, 2 + random.nextInt(8), 5_000 + random.nextInt(6_000), ts);
    }

    /** Appends {@code count} batches; returns them as stored (offsets assigned). */
    private List<TestBatches.Batch> append(Log log, int count, Consumer<Integer> before) {
        List<TestBatches.Batch> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            before.accept(i);
            ByteBuffer b = mixedBatch(clock.millis() + i);
            log.append(b, 0);
            written.addAll(TestBatches.batches(b));
        }
        return written;
    }

    private List<TestBatches.Batch> append(Log log, int count) {
        return append(log, count, i -> { });
    }

    /** The batches stored in {@code segment}, with their positions, from the oracle. */
    private static List<int[]> positions(LogSegment segment, List<TestBatches.Batch> all) {
        List<int[]> result = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < all.size(); i++) {
            TestBatches.Batch b = all.get(i);
            if (b.baseOffset() >= segment.baseOffset() && pos < segment.size()) {
                result.add(new int[] {pos, i});
                pos += b.size();
            }
        }
        assertThat(pos).as("oracle covers %s", segment).isEqualTo(segment.size());
        return result;
    }

    private static void assertHeader(BatchHeaderReader reader, TestBatches.Batch expected, String ctx) {
        assertThat(reader.baseOffset()).as(ctx).isEqualTo(expected.baseOffset());
        assertThat(reader.lastOffset()).as(ctx).isEqualTo(expected.lastOffset());
        assertThat(reader.maxTimestamp()).as(ctx).isEqualTo(expected.maxTimestamp());
        assertThat(reader.batchSize()).as(ctx).isEqualTo(expected.size());
        assertThat(reader.magic()).as(ctx).isEqualTo(RecordBatchDescriptor.MAGIC_V2);
    }

    @Test
    void everyHeaderReadsBackAsWrittenInOrderAndOutOfOrderToTheEndOfEachSegment() throws IOException {
        Log log = open(config());
        List<TestBatches.Batch> all = append(log, 150);
        List<LogSegment> segments = log.segmentsSnapshot();
        assertThat(segments).hasSizeGreaterThan(2);
        assertThat(all).anyMatch(b -> b.size() > BatchHeaderReader.MAX_WINDOW_BYTES)
            .anyMatch(b -> b.size() < 100);

        for (LogSegment segment : segments) {
            List<int[]> at = positions(segment, all);
            // One forward scan, as checkSlice and recovery walk: windows grow, large batches read headers only.
            BatchHeaderReader reader = BatchHeaderReader.forThread();
            for (int[] p : at) {
                reader.read(segment, p[0], segment.size());
                assertHeader(reader, all.get(p[1]), segment + " scan at position=" + p[0]);
            }
            // Out of order, within one operation and each as an operation of its own.
            List<int[]> shuffled = new ArrayList<>(at);
            Collections.shuffle(shuffled, random);
            for (int[] p : shuffled) {
                reader.read(segment, p[0], segment.size());
                assertHeader(reader, all.get(p[1]), segment + " random at position=" + p[0]);
                BatchHeaderReader fresh = BatchHeaderReader.forThread();
                int batchEnd = p[0] + all.get(p[1]).size();
                fresh.read(segment, p[0], batchEnd);
                assertHeader(fresh, all.get(p[1]), segment + " limit at batch end, position=" + p[0]);
                assertThatThrownBy(() -> BatchHeaderReader.forThread().read(segment, p[0], batchEnd - 1))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("position=" + p[0] + " in " + segment.logFile())
                    .hasMessageContaining("batchLength=");
            }
        }
        // The fetch path across the rolls: every batch served as written.
        List<TestBatches.Batch> read = LogTestSupport.readAll(log, 0);
        assertThat(read).hasSameSizeAs(all);
        for (int i = 0; i < all.size(); i++) {
            assertThat(read.get(i).bytes()).as("batch %d", i).isEqualTo(all.get(i).bytes());
        }
    }

    @Test
    void aReaderMovingToAnotherSegmentNeverServesTheOtherFilesWindow() throws IOException {
        Log log = open(config());
        List<TestBatches.Batch> all = append(log, 150);
        List<LogSegment> segments = log.segmentsSnapshot();
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        for (int round = 0; round < 3; round++) {
            for (LogSegment segment : segments) {
                // Position 0 of every segment lies in the window of the previous segment's read.
                reader.read(segment, 0, segment.size());
                assertThat(reader.baseOffset()).as("%s", segment).isEqualTo(segment.baseOffset());
                int[] second = positions(segment, all).get(1);
                reader.read(segment, second[0], segment.size());
                assertHeader(reader, all.get(second[1]), segment + " second batch");
            }
        }
    }

    @Test
    void afterTruncationNewBatchesAtTheSamePositionsAreReadNotTheOldOnes() throws IOException {
        Log log = open(config());
        List<TestBatches.Batch> all = append(log, 120);
        assertThat(LogTestSupport.readAll(log, 0)).hasSameSizeAs(all);
        long cut = all.get(all.size() / 2).baseOffset();
        // Warm this thread's reader on the bytes about to be replaced.
        for (long offset = cut; offset < log.logEndOffset(); offset += 3) {
            assertThat(log.read(offset, 100_000, log.logEndOffset()).hasData()).isTrue();
        }
        log.truncateTo(cut);
        List<TestBatches.Batch> kept = new ArrayList<>(all.subList(0, all.size() / 2));
        assertThat(log.logEndOffset()).isEqualTo(cut);
        kept.addAll(append(log, 80));

        List<TestBatches.Batch> read = LogTestSupport.readAll(log, 0);
        assertThat(read).hasSameSizeAs(kept);
        for (int i = 0; i < kept.size(); i++) {
            assertThat(read.get(i).bytes()).as("batch %d", i).isEqualTo(kept.get(i).bytes());
        }
        for (TestBatches.Batch b : kept) {
            assertThat(TestBatches.batches(TestBatches.read(log.read(b.lastOffset(), 0, log.logEndOffset()).slice()))
                .get(0).baseOffset()).isEqualTo(b.baseOffset());
        }
        for (LogSegment segment : log.segmentsSnapshot()) {
            BatchHeaderReader reader = BatchHeaderReader.forThread();
            for (int[] p : positions(segment, kept)) {
                reader.read(segment, p[0], segment.size());
                assertHeader(reader, kept.get(p[1]), segment + " after truncation, position=" + p[0]);
            }
        }
    }

    /** A field of a batch header to damage, the bytes to write there, and the reason a read must give. */
    private record Damage(String name, int fieldOffset, ByteBuffer bytes, String reason) {
    }

    private static ByteBuffer intBytes(int v) {
        return ByteBuffer.allocate(4).putInt(0, v);
    }

    private static List<Damage> damages() {
        return List.of(
            new Damage("length below minimum", RecordBatchDescriptor.LENGTH_OFFSET, intBytes(5), "batchLength=5 outside"),
            new Damage("length past the end", RecordBatchDescriptor.LENGTH_OFFSET, intBytes(Integer.MAX_VALUE - 100),
                "batchLength=" + (Integer.MAX_VALUE - 100) + " outside"),
            new Damage("magic", RecordBatchDescriptor.MAGIC_OFFSET, ByteBuffer.wrap(new byte[] {1}), "magic=1 expected=2"),
            new Damage("lastOffsetDelta", RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET, intBytes(-3),
                "lastOffsetDelta=-3 is negative"),
            new Damage("baseOffset", RecordBatchDescriptor.BASE_OFFSET_OFFSET, ByteBuffer.allocate(8).putLong(0, 1L << 40),
                "baseOffset=" + (1L << 40) + " expected="));
    }

    @Test
    void damagedHeadersAreRefusedWithFileAndPositionWhereverTheReadStarts() throws IOException {
        for (Damage damage : damages()) {
            for (boolean smallBatches : new boolean[] {true, false}) {
                Path dir = dataDir.resolve(damage.name().replace(' ', '-') + "-" + smallBatches);
                Log log = LogTestSupport.open(dir, config(), env);
                opened.add(log);
                List<TestBatches.Batch> all = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    ByteBuffer b = smallBatches ? batches.batch(random, 2, 100, clock.millis())
                        : batches.batch(random, 2, 12_000, clock.millis());
                    log.append(b, 0);
                    all.addAll(TestBatches.batches(b));
                }
                LogSegment segment = log.segmentsSnapshot().get(0);
                List<int[]> at = positions(segment, all);
                int[] victim = at.get(at.size() / 2);
                try (FileChannel ch = FileChannel.open(segment.logFile(), StandardOpenOption.WRITE)) {
                    ch.write(damage.bytes().duplicate(), victim[0] + damage.fieldOffset());
                }
                String ctx = damage.name() + (smallBatches ? " among small batches" : " among large batches");
                String where = "position=" + victim[0] + " in " + segment.logFile();
                // A fetch from the start of the segment: the slice check scans up to the damage.
                assertThatThrownBy(() -> log.read(0, 1 << 20, log.logEndOffset())).as(ctx)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining(where).hasMessageContaining(damage.reason());
                // A fetch at the damaged batch's own offset: the lookup walk meets it.
                long victimOffset = all.get(victim[1]).baseOffset();
                assertThatThrownBy(() -> log.read(victimOffset, 1 << 20, log.logEndOffset())).as(ctx)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining(where);
            }
        }
    }

    @Test
    void aFileShorterThanItsPublishedSizeIsReportedAsATruncatedHeader() throws IOException {
        Log log = open(config());
        List<TestBatches.Batch> all = append(log, 30);
        LogSegment segment = log.segmentsSnapshot().get(0);
        List<int[]> at = positions(segment, all);
        int last = at.get(at.size() - 1)[0];
        // Cut the file behind the segment's back, 20 bytes into the last header.
        try (FileChannel ch = FileChannel.open(segment.logFile(), StandardOpenOption.WRITE)) {
            ch.truncate(last + 20);
        }
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        for (int[] p : at.subList(0, at.size() - 1)) {
            reader.read(segment, p[0], segment.size());
        }
        assertThatThrownBy(() -> reader.read(segment, last, segment.size()))
            .isInstanceOf(CorruptLogException.class)
            .hasMessageContaining("position=" + last + " in " + segment.logFile())
            .hasMessageContaining("batch header truncated");
    }

    @Test
    void readsNeverMapTheLogFile() throws IOException {
        assumeThat(Files.isReadable(MAPS)).as("needs /proc/self/maps (Linux)").isTrue();
        Log log = open(config());
        List<TestBatches.Batch> all = append(log, 150, i -> clock.advance(10));
        assertThat(log.segmentCount()).isGreaterThan(2);
        LogTestSupport.readAll(log, 0);
        for (TestBatches.Batch b : all) {
            assertThat(log.read(b.lastOffset(), 0, log.logEndOffset()).hasData()).isTrue();
        }
        assertThat(log.offsetForTimestamp(all.get(all.size() / 2).maxTimestamp())).isPresent();
        log.truncateTo(all.get(all.size() - 5).baseOffset());

        List<String> logMappings = Files.readAllLines(MAPS).stream()
            .filter(line -> line.contains(log.dir().toString()) && line.endsWith(LogFileNames.LOG_SUFFIX))
            .toList();
        assertThat(logMappings).as("mappings of .log files in /proc/self/maps").isEmpty();
    }
}
