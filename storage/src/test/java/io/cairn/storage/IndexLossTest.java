package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reliability scenario 5 (storage half): an offset or time index that is deleted, zeroed or cut short
 * is detected when the log opens and rebuilt from the batch headers, for sealed and active segments,
 * after a clean and after an unclean shutdown. Oracle: a full scan of the batches as written; every
 * offset lookup and every timestamp lookup after the reopen must match it, and the rebuilt indexes
 * must agree with the scan entry by entry.
 */
class IndexLossTest {
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(1500).indexIntervalBytes(200)
        .segmentIndexBytes(1024).build();
    private static final long BASE_TS = 1_700_000_000_000L;

    enum Damage { DELETE, ZERO, EMPTY, HALF, ODD_SIZE }

    enum Which { FIRST_SEALED, MIDDLE_SEALED, ACTIVE }

    enum Shutdown { CLEAN, UNCLEAN }

    @TempDir
    Path dataDir;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Shutdown shutdown : Shutdown.values()) {
            for (Which which : Which.values()) {
                for (String suffix : List.of(LogFileNames.INDEX_SUFFIX, LogFileNames.TIME_INDEX_SUFFIX)) {
                    for (Damage damage : Damage.values()) {
                        all.add(Arguments.of(shutdown, which, suffix, damage));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} shutdown, {1} segment, {2} {3}")
    @MethodSource("cases")
    void damagedIndexIsRebuiltAndLookupsMatchAFullScan(Shutdown shutdown, Which which, String suffix, Damage damage)
        throws IOException {
        MutableClock clock = new MutableClock(BASE_TS);
        LogEnvironment env = LogTestSupport.env(clock);
        Log log = LogTestSupport.open(dataDir, CONFIG, env);
        List<TestBatches.Batch> oracle = appendBatches(log, 90);
        // No fsync: nothing here is a power loss; the reopen is told everything below the end was flushed.
        long end = log.logEndOffset();
        List<LogSegment> segments = log.segmentsSnapshot();
        assertThat(segments).as("segments written").hasSizeGreaterThanOrEqualTo(4);
        long base = switch (which) {
            case FIRST_SEALED -> segments.get(0).baseOffset();
            case MIDDLE_SEALED -> segments.get(segments.size() / 2).baseOffset();
            case ACTIVE -> segments.get(segments.size() - 1).baseOffset();
        };
        if (shutdown == Shutdown.CLEAN) {
            log.close();
        } else {
            IndexChecks.crash(log);
        }
        Path file = log.dir().resolve(LogFileNames.logFile(log.dir(), base).getFileName().toString()
            .replace(LogFileNames.LOG_SUFFIX, suffix));
        damage(file, damage, suffix.equals(LogFileNames.INDEX_SUFFIX) ? OffsetIndex.ENTRY_SIZE : TimeIndex.ENTRY_SIZE);

        Log reopened = Log.open(log.dir(), LogTestSupport.TP, CONFIG, env, shutdown == Shutdown.CLEAN, end, 0);
        try {
            assertThat(reopened.logEndOffset()).isEqualTo(end);
            IndexChecks.assertIndexesAgreeWithScan(reopened);
            assertOffsetLookupsMatch(reopened, oracle);
            assertTimestampLookupsMatch(reopened, oracle);
        } finally {
            reopened.close();
        }
    }

    /**
     * Batches of 1-4 records whose timestamps mostly grow, but every 7th batch goes back in time and
     * one early batch lies far in the future (so the first segment holds the largest timestamp).
     */
    private static List<TestBatches.Batch> appendBatches(Log log, int count) {
        Random random = new Random(5);
        TestBatches batches = new TestBatches();
        List<TestBatches.Batch> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = BASE_TS + i * 10L;
            if (i % 7 == 6) {
                ts -= 500;
            }
            if (i == 3) {
                ts += 1_000_000;
            }
            ByteBuffer b = batches.batch(random, 1 + random.nextInt(4), 20 + random.nextInt(60), ts);
            log.append(b, 1);
            written.addAll(TestBatches.batches(b.duplicate()));
        }
        return written;
    }

    private static void damage(Path file, Damage damage, int entrySize) throws IOException {
        assertThat(file).exists();
        long size = Files.size(file);
        switch (damage) {
            case DELETE -> Files.delete(file);
            case ZERO -> Files.write(file, new byte[(int) size]);
            case EMPTY -> truncate(file, 0);
            case HALF -> truncate(file, size / entrySize / 2 * entrySize);
            case ODD_SIZE -> truncate(file, Math.max(0, size - 3));
            default -> throw new IllegalArgumentException(damage.toString());
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    /** Every offset: the slice starts with the batch that holds it, byte for byte as written. */
    static void assertOffsetLookupsMatch(Log log, List<TestBatches.Batch> oracle) throws IOException {
        int i = 0;
        for (long offset = log.logStartOffset(); offset < log.logEndOffset(); offset++) {
            while (oracle.get(i).lastOffset() < offset) {
                i++;
            }
            TestBatches.Batch expected = oracle.get(i);
            LogReadResult r = log.read(offset, 1, log.logEndOffset());
            assertThat(r.hasData()).as("read at offset %d", offset).isTrue();
            TestBatches.Batch got = TestBatches.batches(TestBatches.read(r.slice())).get(0);
            assertThat(got.baseOffset()).as("batch holding offset %d", offset).isEqualTo(expected.baseOffset());
            assertThat(got.bytes()).as("bytes of batch at offset %d", expected.baseOffset()).isEqualTo(expected.bytes());
        }
    }

    /** Every record timestamp and the one above it, and the ends: the first record at or after it. */
    static void assertTimestampLookupsMatch(Log log, List<TestBatches.Batch> oracle) {
        TreeSet<Long> targets = new TreeSet<>();
        for (TestBatches.Batch b : oracle) {
            for (Record r : new RecordBatch(b.bytes(), 0).records()) {
                targets.add(r.timestamp());
                targets.add(r.timestamp() + 1);
            }
        }
        targets.add(0L);
        targets.add(Long.MAX_VALUE - 1);
        for (long target : targets) {
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
            assertThat(log.offsetForTimestamp(target)).as("offset for timestamp %d", target)
                .isEqualTo(Optional.ofNullable(expected));
        }
    }
}
