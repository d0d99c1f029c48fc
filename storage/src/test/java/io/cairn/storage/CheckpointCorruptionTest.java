package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 7, torn or corrupt checkpoint files. A data directory with two partitions is left as a
 * crash leaves it (part of each log flushed and checkpointed, more appended after the checkpoint,
 * one partition with a torn garbage tail); then one checkpoint file — the recovery point, the log
 * start, the cleaner offset, or the {@code .clean-shutdown} marker — is damaged in one of the ways
 * below. The directory must always open with both partitions online, every whole batch there, the
 * torn tail gone, indexes agreeing with a scan: a damaged checkpoint is never trusted, the
 * partition falls back to scanning.
 */
class CheckpointCorruptionTest {
    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(2500).indexIntervalBytes(150)
        .segmentIndexBytes(1024).build();

    @TempDir
    Path dataDir;

    enum Kind {
        MISSING, EMPTY, TRUNCATED, GARBAGE, WRONG_VERSION, WRONG_COUNT, MALFORMED_LINE, BAD_CHECKSUM, NEGATIVE_OFFSET,
        BEYOND_LOG_END, FAR_BEYOND_LOG_END
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String file : List.of(LogManager.RECOVERY_POINT_CHECKPOINT, LogManager.LOG_START_CHECKPOINT,
            LogCleaner.CHECKPOINT_FILE)) {
            for (Kind kind : Kind.values()) {
                for (int seed = 0; seed < 3; seed++) {
                    all.add(Arguments.of(file, kind, seed));
                }
            }
        }
        for (Kind kind : List.of(Kind.MISSING, Kind.EMPTY, Kind.GARBAGE, Kind.TRUNCATED)) {
            for (int seed = 0; seed < 3; seed++) {
                all.add(Arguments.of(LogManager.CLEAN_SHUTDOWN_FILE, kind, seed));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("cases")
    void aDamagedCheckpointIsNeverTrusted(String file, Kind kind, int seed) throws IOException {
        Random r = new Random(seed * 31L + kind.ordinal() * 7L + file.hashCode());
        LogManagerConfig config = LogManagerConfig.builder().defaultLogConfig(CONFIG).recoveryThreads(1)
            .channels(PowerLossFileSystem.REAL_WITHOUT_FSYNC).build();
        LogManager manager = LogManager.open(dataDir, config);
        Map<TopicPartition, List<TestBatches.Batch>> written = Map.of(A, new ArrayList<>(), B, new ArrayList<>());
        TestBatches batches = new TestBatches();
        for (TopicPartition tp : List.of(A, B)) {
            Log log = manager.getOrCreateLog(tp, CONFIG);
            append(log, batches, r, 20 + r.nextInt(20), written.get(tp));
            log.flush();
        }
        manager.checkpoint();
        long endA = 0;
        for (TopicPartition tp : List.of(A, B)) {
            Log log = manager.log(tp).orElseThrow();
            append(log, batches, r, 5 + r.nextInt(20), written.get(tp));
            if (tp.equals(A)) {
                endA = log.logEndOffset();
            }
        }
        Path activeA = manager.log(A).orElseThrow().activeSegment().logFile();
        Path cleanerCheckpoint = dataDir.resolve(LogCleaner.CHECKPOINT_FILE);
        new OffsetCheckpointFile(cleanerCheckpoint, FileChannelFactory.DEFAULT).write(Map.of(A, endA / 2, B, 3L));
        manager.halt();
        for (TopicPartition tp : List.of(A, B)) {
            for (LogSegment s : manager.log(tp).orElseThrow().segmentsSnapshot()) {
                s.closeChannel();
            }
        }
        // A torn tail of unflushed data on A: the scan must find and cut it.
        byte[] garbage = new byte[1 + r.nextInt(300)];
        r.nextBytes(garbage);
        Files.write(activeA, garbage, StandardOpenOption.APPEND);

        Path target = dataDir.resolve(file);
        if (file.equals(LogManager.CLEAN_SHUTDOWN_FILE)) {
            // A marker where the shutdown was not clean: stale, planted, or damaged.
            Files.write(target, new byte[0]);
        }
        damage(target, kind, r, endA);

        LogManager reopened = LogManager.open(dataDir, config);
        try {
            assertThat(reopened.offlinePartitions()).as("offline partitions").isEmpty();
            for (TopicPartition tp : List.of(A, B)) {
                Log log = reopened.log(tp).orElseThrow();
                List<TestBatches.Batch> want = written.get(tp);
                List<TestBatches.Batch> got = LogTestSupport.readAll(log, 0);
                assertThat(got).as("%s batches", tp).hasSize(want.size());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).bytes()).as("%s batch %d", tp, i).isEqualTo(want.get(i).bytes());
                }
                long end = want.get(want.size() - 1).lastOffset() + 1;
                assertThat(log.logEndOffset()).as("%s end offset", tp).isEqualTo(end);
                assertThat(log.logStartOffset()).as("%s log start", tp).isZero();
                assertThat(log.recoveryPoint()).as("%s recovery point", tp).isLessThanOrEqualTo(end);
                IndexChecks.assertIndexesAgreeWithScan(log);
                LogAppendResult again = log.append(batches.batch(r, 1, 10, 5), 0);
                assertThat(again.firstOffset()).as("%s appends continue", tp).isEqualTo(end);
            }
        } finally {
            reopened.close();
        }
    }

    private static void append(Log log, TestBatches batches, Random r, int count, List<TestBatches.Batch> written) {
        for (int i = 0; i < count; i++) {
            ByteBuffer b = batches.batch(r, 1 + r.nextInt(4), r.nextInt(100), 1_000_000 + i);
            log.append(b, 0);
            written.addAll(TestBatches.batches(b));
        }
    }

    private static void damage(Path file, Kind kind, Random r, long endA) throws IOException {
        byte[] valid = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        String text = new String(valid, StandardCharsets.UTF_8);
        switch (kind) {
            case MISSING -> Files.deleteIfExists(file);
            case EMPTY -> Files.write(file, new byte[0]);
            case TRUNCATED -> Files.write(file, Arrays.copyOf(valid, valid.length == 0 ? 0 : r.nextInt(valid.length)));
            case GARBAGE -> {
                byte[] g = new byte[1 + r.nextInt(200)];
                r.nextBytes(g);
                Files.write(file, g);
            }
            case WRONG_VERSION -> Files.writeString(file, withChecksum(text.replaceFirst("^1\n", "2\n")));
            case WRONG_COUNT -> Files.writeString(file, withChecksum(text.replaceFirst("^1\n2\n", "1\n3\n")));
            case MALFORMED_LINE -> Files.writeString(file, withChecksum(text.replaceFirst("orders 0 ", "orders 0 x")));
            case BAD_CHECKSUM -> {
                byte[] b = valid.clone();
                int at = r.nextInt(b.length - 8);
                b[at] = (byte) (b[at] == '1' ? '2' : '1');
                Files.write(file, b);
            }
            case NEGATIVE_OFFSET -> Files.writeString(file, withChecksum("1\n2\norders 0 -5\norders 1 -1\n"));
            case BEYOND_LOG_END -> Files.writeString(file, withChecksum("1\n2\norders 0 " + (endA + 1 + r.nextInt(5))
                + "\norders 1 " + (endA + 100) + "\n"));
            case FAR_BEYOND_LOG_END -> Files.writeString(file, withChecksum("1\n2\norders 0 " + (Long.MAX_VALUE - 1)
                + "\norders 1 " + (1L << 40) + "\n"));
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    /** {@code body} (its old checksum line dropped) with a correct checksum line: damage the checksum cannot see. */
    private static String withChecksum(String body) {
        int crcLine = body.indexOf("crc32c ");
        String content = crcLine >= 0 ? body.substring(0, crcLine) : body;
        CRC32C crc = new CRC32C();
        crc.update(content.getBytes(StandardCharsets.UTF_8));
        return content + "crc32c " + Long.toHexString(crc.getValue()) + "\n";
    }
}
