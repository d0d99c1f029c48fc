package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code partitionLeaderEpoch} is outside the batch CRC: storage checks it against the partition's
 * {@link LeaderEpochs} (persisted in {@code leader-epoch-checkpoint}) on read and on recovery.
 */
class LeaderEpochCheckTest {
    private static final TopicPartition TP = LogTestSupport.TP;
    private static final int EPOCH_AT = RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(2000).indexIntervalBytes(300)
        .segmentIndexBytes(1024).build();

    @TempDir
    Path tmp;

    private final LogEnvironment env = new LogEnvironment(Clock.systemUTC(), PowerLossFileSystem.REAL_WITHOUT_FSYNC,
        null, (l, e) -> { }, null, null);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(7);

    private Path dir() {
        return tmp.resolve(TP.dirName());
    }

    /** A log of five segments: epoch 0, then epoch 5 from within the third segment on; closed cleanly. */
    private List<TestBatches.Batch> writeLog() throws IOException {
        Log log = Log.open(dir(), TP, CONFIG, env, false, 0, 0);
        try {
            while (log.segmentCount() < 3) {
                log.append(batches.batch(random, 1 + random.nextInt(3), 50 + random.nextInt(100), 1000), 0);
            }
            long epochStart = log.logEndOffset();
            while (log.segmentCount() < 5) {
                log.append(batches.batch(random, 1 + random.nextInt(3), 50 + random.nextInt(100), 1000), 5);
            }
            assertThat(log.leaderEpochs()).hasToString("[0@0, 5@" + epochStart + "]");
            return LogTestSupport.readAll(log, 0);
        } finally {
            log.close();
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (var files = Files.list(dir())) {
            return files.filter(p -> p.toString().endsWith(LogFileNames.LOG_SUFFIX)).sorted().toList();
        }
    }

    private static List<Integer> batchStarts(byte[] file) {
        List<Integer> starts = new ArrayList<>();
        for (int p = 0; p < file.length; p += ByteBuffer.wrap(file).getInt(p + 8) + 12) {
            starts.add(p);
        }
        return starts;
    }

    private static int epochAt(byte[] file, int batchStart) {
        return ByteBuffer.wrap(file).getInt(batchStart + EPOCH_AT);
    }

    @Test
    void eachNewEpochIsCheckpointedAndStampedOnItsBatches() throws IOException {
        List<TestBatches.Batch> written = writeLog();
        LeaderEpochs expected = new LeaderEpochCheckpointFile(TP, dir(), env.channels()).read();
        assertThat(expected).isNotNull();
        assertThat(expected.size()).isEqualTo(2);
        for (TestBatches.Batch b : written) {
            int epoch = new RecordBatch(b.bytes(), 0).partitionLeaderEpoch();
            assertThat(epoch).as("batch at %d", b.baseOffset()).isEqualTo(b.baseOffset() < expected.startOffset(1) ? 0 : 5);
        }
        // Clean open trusts the checkpoint; a full scan checks every batch against it.
        for (boolean clean : new boolean[] {true, false}) {
            Log log = Log.open(dir(), TP, CONFIG, env, clean, 0, 0);
            try {
                assertThat(log.leaderEpochs()).isEqualTo(expected);
                assertThat(log.latestLeaderEpoch()).isEqualTo(5);
                assertThat(LogTestSupport.readAll(log, 0)).hasSameSizeAs(written);
                long end = log.logEndOffset();
                assertThatThrownBy(() -> log.append(batches.batch(random, 1, 10, 1000), 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the latest 5");
                assertThat(log.logEndOffset()).isEqualTo(end);
                log.append(batches.batch(random, 1, 10, 1000), 5);
                log.truncateTo(end);
            } finally {
                log.close();
            }
        }
    }

    /**
     * The victim is the last batch of a sealed segment in the epoch-0 range (the position a full scan
     * would otherwise take for a torn tail). Flipped bits: 0 -> 1 (above 0 but not above the latest,
     * 5), 0 -> 4, 0 -> 8 (above the latest), and the sign bit (negative).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 31})
    void aFlippedEpochInASealedSegmentIsReportedOnReadAndRefusedByRecovery(int bit) throws IOException {
        List<TestBatches.Batch> written = writeLog();
        Path victim = segmentFiles().get(1);
        byte[] original = Files.readAllBytes(victim);
        List<Integer> starts = batchStarts(original);
        int at = starts.get(starts.size() - 1);
        assertThat(epochAt(original, at)).isZero();
        byte[] damaged = original.clone();
        ByteBuffer.wrap(damaged).putInt(at + EPOCH_AT, 1 << bit);
        Files.write(victim, damaged);
        List<Path> before = listing();

        // Read path: a cleanly shut down log is not scanned; every slice over the victim fails.
        Log log = Log.open(dir(), TP, CONFIG, env, true, 0, 0);
        try {
            long victimBase = LogFileNames.baseOffsetOf(victim.getFileName().toString());
            TestBatches.Batch damagedBatch = written.stream().filter(b -> b.baseOffset() >= victimBase).toList()
                .get(starts.size() - 1);
            for (long offset : new long[] {0, victimBase, damagedBatch.baseOffset()}) {
                assertThatThrownBy(() -> LogTestSupport.readAll(log, offset)).as("read from %d", offset)
                    .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                        assertThat(e.file()).isEqualTo(victim);
                        assertThat(e.position()).isEqualTo(at);
                        assertThat(e.getMessage()).contains(TP.toString()).contains("partitionLeaderEpoch=" + (1 << bit));
                    });
            }
            // batches before the damaged one are still served
            assertThat(log.read(victimBase, 1, log.logEndOffset()).hasData()).isTrue();
        } finally {
            log.close();
        }

        // Recovery: below the recovery point, and with a full scan (last batch of a sealed segment).
        long victimEnd = LogFileNames.baseOffsetOf(segmentFiles().get(2).getFileName().toString());
        for (long recoveryPoint : new long[] {victimEnd, 0}) {
            assertThatThrownBy(() -> Log.open(dir(), TP, CONFIG, env, false, recoveryPoint, 0))
                .as("recovery from %d", recoveryPoint)
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(victim);
                    assertThat(e.position()).isEqualTo(at);
                    assertThat(e.getMessage()).contains("partitionLeaderEpoch=" + (1 << bit)).contains("refusing");
                });
            assertThat(Files.readAllBytes(victim)).isEqualTo(damaged);
            assertThat(listing()).isEqualTo(before);
        }
    }

    /** Unflushed data at the end of the active segment: a damaged last batch is cut, as every other header field's. */
    @Test
    void aFlippedEpochInTheLastBatchOfTheActiveSegmentIsCutAsItsTail() throws IOException {
        List<TestBatches.Batch> written = writeLog();
        List<Path> files = segmentFiles();
        Path active = files.get(files.size() - 1);
        byte[] bytes = Files.readAllBytes(active);
        List<Integer> starts = batchStarts(bytes);
        int at = starts.get(starts.size() - 1);
        ByteBuffer.wrap(bytes).putInt(at + EPOCH_AT, 4);
        Files.write(active, bytes);
        Log log = Log.open(dir(), TP, CONFIG, env, false, 0, 0);
        try {
            TestBatches.Batch cut = written.get(written.size() - 1);
            assertThat(log.logEndOffset()).isEqualTo(cut.baseOffset());
            List<TestBatches.Batch> read = LogTestSupport.readAll(log, 0);
            assertThat(read).hasSize(written.size() - 1);
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).bytes()).isEqualTo(written.get(i).bytes());
            }
        } finally {
            log.close();
        }
    }

    @Test
    void aMissingDamagedOrStrayCheckpointIsRebuiltFromTheLog() throws IOException {
        writeLog();
        LeaderEpochCheckpointFile file = new LeaderEpochCheckpointFile(TP, dir(), env.channels());
        LeaderEpochs expected = file.read();
        byte[] good = Files.readAllBytes(file.file());
        LeaderEpochs stray = new LeaderEpochs(new int[] {2}, new long[] {1});
        for (String damage : new String[] {"missing", "torn", "garbage", "stray"}) {
            switch (damage) {
                case "missing" -> Files.delete(file.file());
                case "torn" -> Files.write(file.file(), java.util.Arrays.copyOf(good, good.length - 3));
                case "garbage" -> Files.writeString(file.file(), "1\n1\n0 0\ncrc32c 0\n");
                default -> file.write(stray);
            }
            Log log = Log.open(dir(), TP, CONFIG, env, true, 0, 0);
            try {
                assertThat(log.leaderEpochs()).as(damage).isEqualTo(expected);
                assertThat(file.read()).as(damage + ": rewritten").isEqualTo(expected);
                LogTestSupport.readAll(log, 0);
            } finally {
                log.close();
            }
        }
    }

    /** Without a checkpoint an epoch raised by a flip in the middle is still caught: the epoch falls after it. */
    @Test
    void withoutACheckpointAFallingEpochIsRefused() throws IOException {
        writeLog();
        Files.delete(dir().resolve(LeaderEpochCheckpointFile.NAME));
        Path victim = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(victim);
        List<Integer> starts = batchStarts(bytes);
        ByteBuffer.wrap(bytes).putInt(starts.get(1) + EPOCH_AT, 1);
        Files.write(victim, bytes);
        for (boolean clean : new boolean[] {true, false}) {
            assertThatThrownBy(() -> Log.open(dir(), TP, CONFIG, env, clean, 0, 0)).as("clean=%s", clean)
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(victim);
                    assertThat(e.position()).isEqualTo((long) starts.get(2));
                    assertThat(e.getMessage()).contains("below epoch 1").contains("position=" + starts.get(1));
                });
        }
        assertThat(Files.exists(dir().resolve(LeaderEpochCheckpointFile.NAME))).isFalse();
    }

    @Test
    void epochsBeyondTheEndAreDroppedAtOpenAndByTruncation() throws IOException {
        List<TestBatches.Batch> written = writeLog();
        long end = written.get(written.size() - 1).lastOffset() + 1;
        LeaderEpochCheckpointFile file = new LeaderEpochCheckpointFile(TP, dir(), env.channels());
        LeaderEpochs expected = file.read();
        // A new epoch checkpointed, but its first batch never written (a crash in between).
        file.write(expected.withEpoch(9, end));
        Log log = Log.open(dir(), TP, CONFIG, env, true, 0, 0);
        try {
            assertThat(log.leaderEpochs()).isEqualTo(expected);
            assertThat(file.read()).as("persisted before the log is shared").isEqualTo(expected);
            log.truncateTo(expected.startOffset(1));
            assertThat(log.leaderEpochs()).hasToString("[0@0]");
            assertThat(file.read()).hasToString("[0@0]");
            // The follower's case: the log continues under a new epoch from the truncation point.
            log.append(batches.batch(random, 2, 10, 1000), 6);
            assertThat(log.leaderEpochs()).hasToString("[0@0, 6@" + expected.startOffset(1) + "]");
            assertThat(LogTestSupport.readAll(log, 0)).isNotEmpty();
        } finally {
            log.close();
        }
        Log reopened = Log.open(dir(), TP, CONFIG, env, false, 0, 0);
        try {
            assertThat(reopened.leaderEpochs()).hasToString("[0@0, 6@" + expected.startOffset(1) + "]");
        } finally {
            reopened.close();
        }
    }

    /** Empty batches the cleaner wrote before epochs were checked carry -1: still readable and recoverable. */
    @Test
    void anEmptyBatchWithoutEpochIsAccepted() throws IOException {
        Log log = Log.open(dir(), TP, CONFIG, env, false, 0, 0);
        try {
            log.append(batches.batch(random, 2, 10, 1000), 0);
            log.append(new RecordBatchBuilder().overrideLastOffset(3).build(), 0);
            log.append(batches.batch(random, 2, 10, 1000), 0);
        } finally {
            log.close();
        }
        Path segment = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        int gap = batchStarts(bytes).get(1);
        ByteBuffer.wrap(bytes).putInt(gap + EPOCH_AT, RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH);
        Files.write(segment, bytes);
        for (int round = 0; round < 3; round++) {
            if (round == 2) {
                Files.delete(dir().resolve(LeaderEpochCheckpointFile.NAME));
            }
            Log again = Log.open(dir(), TP, CONFIG, env, round == 0, 0, 0);
            try {
                assertThat(LogTestSupport.readAll(again, 0)).hasSize(3);
                assertThat(again.leaderEpochs()).hasToString("[0@0]");
            } finally {
                again.close();
            }
        }
        // The same batch with a record is not exempt.
        Log log2 = Log.open(dir(), TP, CONFIG, env, true, 0, 0);
        try {
            int first = batchStarts(bytes).get(0);
            ByteBuffer.wrap(bytes).putInt(first + EPOCH_AT, RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH);
            Files.write(segment, bytes);
            assertThatThrownBy(() -> LogTestSupport.readAll(log2, 0)).isInstanceOf(CorruptLogException.class);
        } finally {
            log2.close();
        }
    }

    /** The cleaner's empty batch for removed records carries the epoch of the first batch it replaces. */
    @Test
    void compactionKeepsEveryBatchsEpoch() throws IOException {
        LogConfig compact = LogConfig.builder().segmentBytes(1500).indexIntervalBytes(200).segmentIndexBytes(1024)
            .cleanupPolicy(CleanupPolicy.COMPACT).fileDeleteDelayMs(0).minCleanableDirtyRatio(0).build();
        Path dataDir = tmp.resolve("data");
        LogManager manager = LogManager.open(dataDir, LogManagerConfig.builder().defaultLogConfig(compact)
            .cleanerThreads(0).build());
        byte[][] key = {"k".getBytes(StandardCharsets.UTF_8)};
        try {
            Log log = manager.getOrCreateLog(TP, compact);
            for (int i = 0; i < 60; i++) {
                byte[][] value = {("v" + i + "x".repeat(60)).getBytes(StandardCharsets.UTF_8)};
                log.append(batches.keyed(1000, key, value), i < 20 ? 1 : i < 40 ? 3 : 4);
            }
            assertThat(manager.cleaner().cleanNow(log)).isNotNull();
            LeaderEpochs epochs = log.leaderEpochs();
            int empty = 0;
            for (LogSegment s : log.segmentsSnapshot()) {
                byte[] bytes = Files.readAllBytes(s.logFile());
                for (int at : batchStarts(bytes)) {
                    long base = ByteBuffer.wrap(bytes).getLong(at);
                    assertThat((long) epochAt(bytes, at)).as("batch at %d", base)
                        .isEqualTo(epochs.expectedEpoch(epochs.slotFor(base)));
                    empty += ByteBuffer.wrap(bytes).getInt(at + RecordBatchDescriptor.RECORDS_COUNT_OFFSET) == 0 ? 1 : 0;
                }
            }
            assertThat(empty).as("empty batches written by the cleaner").isPositive();
            assertThat(LogTestSupport.readAll(log, log.logStartOffset())).isNotEmpty();
        } finally {
            manager.close();
        }
    }

    private List<Path> listing() throws IOException {
        try (var files = Files.list(dir())) {
            return files.sorted().toList();
        }
    }
}
