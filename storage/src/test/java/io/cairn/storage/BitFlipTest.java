package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4, bit flips in a sealed segment. A log of four segments is closed cleanly once; its
 * second segment (sealed, several batches) is the victim. Every bit of every batch header in it
 * (61 bytes per batch) and a seeded sample of body bits is flipped, one at a time, and then:
 * <ul>
 *   <li><b>on read</b> (the log opened as after a clean shutdown: nothing scanned, indexes and the
 *       leader-epoch checkpoint trusted), the segment is read sequentially with random slice sizes
 *       (from the batch before it) and by a point lookup of every batch: the flip must be caught by
 *       storage ({@link CorruptLogException} naming the file and position) or by the consumer's CRC
 *       check ({@link RecordBatch#isCrcValid()}); no batch that differs from what was written may be
 *       served with a valid CRC. A flip in {@code partitionLeaderEpoch}, which the CRC does not
 *       cover, must be caught by storage (the batch's epoch against the partition's leader epochs);</li>
 *   <li><b>on recovery</b> (for every flip in the fields before {@code attributes}, which the CRC does
 *       not cover, and a seeded sixth of the others) with the recovery point at the victim's end (its data was forced), opening
 *       must fail with {@link CorruptLogException} naming the file and the damaged batch's position,
 *       changing nothing;</li>
 *   <li><b>on recovery</b> without a recovery point (full scan), the same, except that damage in
 *       the victim's last batch is indistinguishable from a torn write of unforced data and is
 *       truncated as one: the log then ends right before that batch and nothing damaged is served.
 *       Not so a flipped epoch: the batch is whole with a valid CRC, which no torn write leaves, so
 *       the sealed segment is refused there too.</li>
 * </ul>
 * {@code -Dcairn.bitflip.bodyFlips=N} changes the body sample (default 400).
 */
class BitFlipTest {
    private static final int BODY_FLIPS = Integer.getInteger("cairn.bitflip.bodyFlips", 400);
    private static final TopicPartition TP = LogTestSupport.TP;
    private static final int EPOCH_FROM = RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
    private static final int EPOCH_TO = EPOCH_FROM + RecordBatchDescriptor.PARTITION_LEADER_EPOCH_LENGTH;

    @TempDir
    Path tmp;

    private final LogEnvironment env = new LogEnvironment(Clock.systemUTC(), PowerLossFileSystem.REAL_WITHOUT_FSYNC,
        null, (l, e) -> { }, null, null);

    /** Outcome counters. */
    private static final class Counts {
        int flips;
        int epochFlips;
        int epochFlipsDetectedByStorage;
        int readDetectedByStorage;
        int readDetectedByConsumerCrc;
        int corruptServed;
        int recoveryRefusedAtRecoveryPoint;
        int fullScanRefused;
        int fullScanTruncatedTornTail;
        int recoveryChecked;
        int detectedAtOpen;
    }

    @Test
    void everyFlippedBitIsCaughtOnReadAndOnRecovery() throws IOException {
        long startNs = System.nanoTime();
        long startCpuMs = CpuTime.processMs();
        Random r = new Random(4);
        LogConfig config = LogConfig.builder().segmentBytes(2600).indexIntervalBytes(300).segmentIndexBytes(1024).build();
        Path dir = tmp.resolve(TP.dirName());
        Log log = Log.open(dir, TP, config, env, false, 0, 0);
        TestBatches batches = new TestBatches();
        long ts = 1_000_000;
        while (log.segmentCount() < 4) {
            log.append(batches.batch(r, 1 + r.nextInt(4), 20 + r.nextInt(150), ts), 0);
            ts += 1 + r.nextInt(20);
        }
        List<TestBatches.Batch> all = LogTestSupport.readAll(log, 0);
        long logEnd = log.logEndOffset();
        LogSegment victim = log.segmentsSnapshot().get(1);
        long victimBase = victim.baseOffset();
        long nextBase = log.segmentsSnapshot().get(2).baseOffset();
        Path victimFile = victim.logFile();
        log.close();

        byte[] original = Files.readAllBytes(victimFile);
        List<Path> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                names.add(p);
                contents.add(Files.readAllBytes(p));
            }
        }
        List<Integer> batchStarts = new ArrayList<>();
        for (int p = 0; p < original.length; p += ByteBuffer.wrap(original).getInt(p + 8) + 12) {
            batchStarts.add(p);
        }
        assertThat(batchStarts.size()).as("batches in the victim").isGreaterThanOrEqualTo(5);
        List<TestBatches.Batch> victimBatches = all.stream()
            .filter(b -> b.baseOffset() >= victimBase && b.baseOffset() < nextBase).toList();
        assertThat(victimBatches).hasSameSizeAs(batchStarts);
        TestBatches.Batch lastVictimBatch = victimBatches.get(victimBatches.size() - 1);

        List<int[]> flips = new ArrayList<>();
        for (int start : batchStarts) {
            for (int b = 0; b < RecordBatchDescriptor.HEADER_SIZE; b++) {
                for (int bit = 0; bit < 8; bit++) {
                    flips.add(new int[] {start + b, bit});
                }
            }
        }
        for (int i = 0; i < BODY_FLIPS; i++) {
            int at;
            do {
                at = r.nextInt(original.length);
            } while (inHeader(at, batchStarts));
            flips.add(new int[] {at, r.nextInt(8)});
        }

        Counts counts = new Counts();
        for (int[] flip : flips) {
            int at = flip[0];
            int batchStart = batchStartOf(at, batchStarts);
            int field = at - batchStart;
            String ctx = "flip of bit " + flip[1] + " at position " + at + " (batch at " + batchStart + ", byte " + field + ")";
            byte[] damaged = original.clone();
            damaged[at] ^= (byte) (1 << flip[1]);
            Files.write(victimFile, damaged);
            counts.flips++;
            boolean epoch = field >= EPOCH_FROM && field < EPOCH_TO;
            if (epoch) {
                counts.epochFlips++;
            }

            // On read: a cleanly shut down log is not scanned at open.
            int storageBefore = counts.readDetectedByStorage;
            boolean detected = readEverything(ctx, dir, config, logEnd, all, victimBatches, nextBase, victimFile, batchStart,
                counts);
            assertThat(detected).as(ctx + ": detected on read").isTrue();
            if (epoch) {
                // Outside the CRC: only storage's epoch check can catch it.
                assertThat(counts.readDetectedByStorage).as(ctx + ": epoch flip detected by storage")
                    .isEqualTo(storageBefore + 1);
                counts.epochFlipsDetectedByStorage++;
            }

            // Recovery checks (two opens with a scan each) for every flip outside the CRC's reach and every
            // sixth of the others (seeded): recovery's CRC check sees all of those alike.
            boolean recoveryCheck = field < RecordBatchDescriptor.ATTRIBUTES_OFFSET || r.nextInt(6) == 0;
            if (recoveryCheck) {
                counts.recoveryChecked++;
            }

            // On recovery, the victim's data below the recovery point: refused, nothing changed.
            if (recoveryCheck) {
                expectRefusal(ctx, dir, config, nextBase, victimFile, batchStart);
                assertThat(Files.readAllBytes(victimFile)).as(ctx + ": untouched").isEqualTo(damaged);
                counts.recoveryRefusedAtRecoveryPoint++;
            }

            if (recoveryCheck) {
                // A refused scan leaves the victim's indexes reset (they are rebuilt at the next open): put them
                // back so the next flip starts from a cleanly shut down log again.
                restoreIndexes(names, contents, victimBase);
            }

            // On recovery without a recovery point: refused, or (last batch of the segment) cut as a torn tail,
            // unless only the epoch is wrong (a whole batch with a valid CRC is no torn write).
            if (recoveryCheck) {
                boolean lastBatch = batchStart == batchStarts.get(batchStarts.size() - 1);
                if (lastBatch && !epoch) {
                    Log recovered = Log.open(dir, TP, config, env, false, 0, 0);
                    try {
                        long cutAt = lastVictimBatch.baseOffset();
                        List<TestBatches.Batch> want = all.stream().filter(b -> b.lastOffset() < cutAt).toList();
                        List<TestBatches.Batch> got = LogTestSupport.readAll(recovered, 0);
                        assertThat(got).as(ctx + ": batches after truncation").hasSize(want.size());
                        for (int i = 0; i < got.size(); i++) {
                            assertThat(got.get(i).bytes()).as(ctx + ": batch %d", i).isEqualTo(want.get(i).bytes());
                        }
                        assertThat(recovered.logEndOffset()).as(ctx + ": end offset").isEqualTo(cutAt);
                    } finally {
                        recovered.close();
                    }
                    counts.fullScanTruncatedTornTail++;
                    restore(dir, names, contents);
                } else {
                    expectRefusal(ctx, dir, config, 0, victimFile, batchStart);
                    restoreIndexes(names, contents, victimBase);
                    counts.fullScanRefused++;
                }
            }
        }
        Files.write(victimFile, original);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.printf("BitFlipTest: victim=%d batches/%d bytes flips=%d (header bits=%d, body bits=%d) "
                + "read: detectedByStorage=%d (of which at open=%d) detectedByConsumerCrc=%d corruptServed=%d "
                + "epochFlips=%d detectedByStorage=%d; "
                + "recovery checked=%d: at recovery point refused=%d; full scan: refused=%d truncatedAsTornTail=%d; "
                + "in %d ms (process CPU %d ms)%n", batchStarts.size(), original.length, counts.flips,
            batchStarts.size() * RecordBatchDescriptor.HEADER_SIZE * 8, BODY_FLIPS, counts.readDetectedByStorage,
            counts.detectedAtOpen,
            counts.readDetectedByConsumerCrc, counts.corruptServed, counts.epochFlips, counts.epochFlipsDetectedByStorage,
            counts.recoveryChecked, counts.recoveryRefusedAtRecoveryPoint, counts.fullScanRefused, counts.fullScanTruncatedTornTail, ms,
            CpuTime.processMs() - startCpuMs);
        assertThat(counts.corruptServed).isZero();
        assertThat(counts.epochFlips).as("epoch flips run").isEqualTo(batchStarts.size() * 32);
        assertThat(counts.epochFlipsDetectedByStorage).isEqualTo(counts.epochFlips);
        assertThat(counts.readDetectedByStorage + counts.readDetectedByConsumerCrc).isEqualTo(counts.flips);
    }

    private void expectRefusal(String ctx, Path dir, LogConfig config, long recoveryPoint, Path victimFile,
                               int batchStart) {
        try {
            Log.open(dir, TP, config, env, false, recoveryPoint, 0).close();
            throw new AssertionError(ctx + ": recovery with recovery point " + recoveryPoint + " accepted the damage");
        } catch (CorruptLogException e) {
            assertThat(e.getMessage()).as(ctx).contains(victimFile.getFileName().toString())
                .contains("position=" + batchStart);
        }
    }

    /**
     * Reads the whole log as consumers would; returns true if storage refused a read or a served
     * batch failed its CRC. Fails the test if a batch that differs from what was written is served
     * with a valid CRC.
     */
    private boolean readEverything(String ctx, Path dir, LogConfig config, long logEnd, List<TestBatches.Batch> all,
                                   List<TestBatches.Batch> victimBatches, long victimEnd, Path victimFile,
                                   int batchStart, Counts counts) throws IOException {
        Log log;
        try {
            // As the manager opens a cleanly shut down log: the checkpointed recovery point is its end.
            log = Log.open(dir, TP, config, env, true, logEnd, 0);
        } catch (CorruptLogException e) {
            // The open reads the headers after each index's last entry: a flip there is caught before any read.
            assertThat(e.getMessage()).as(ctx).contains(victimFile.getFileName().toString()).contains("position=");
            counts.detectedAtOpen++;
            counts.readDetectedByStorage++;
            return true;
        }
        boolean storageDetected = false;
        boolean crcDetected = false;
        try {
            long end = log.logEndOffset();
            Random r = new Random(batchStart);
            // From the batch before the victim through the victim (reads of other segments cannot meet the flip).
            long next = victimBatches.get(0).baseOffset() - 1;
            while (next < victimEnd) {
                try {
                    LogReadResult result = log.read(next, 1 + r.nextInt(2000), end);
                    if (!result.hasData()) {
                        break;
                    }
                    long last = inspect(ctx, result.slice(), all);
                    if (last < 0) {
                        // A consumer checking CRCs stops here with an error.
                        crcDetected = true;
                        break;
                    }
                    next = last + 1;
                } catch (CorruptLogException e) {
                    assertThat(e.getMessage()).as(ctx).contains(victimFile.getFileName().toString()).contains("position=");
                    storageDetected = true;
                    break;
                }
            }
            for (TestBatches.Batch b : victimBatches) {
                try {
                    LogReadResult result = log.read(b.baseOffset(), 1, end);
                    if (result.hasData()) {
                        crcDetected |= inspect(ctx, result.slice(), all) < 0;
                    }
                } catch (CorruptLogException e) {
                    assertThat(e.getMessage()).as(ctx).contains(victimFile.getFileName().toString()).contains("position=");
                    storageDetected = true;
                }
            }
        } finally {
            log.close();
        }
        if (storageDetected) {
            counts.readDetectedByStorage++;
        } else if (crcDetected) {
            counts.readDetectedByConsumerCrc++;
        }
        return storageDetected || crcDetected;
    }

    /**
     * Checks each batch of a served slice against what was written; returns the last offset served,
     * negated if a batch failed its CRC (a consumer with check.crcs rejects it).
     */
    private static long inspect(String ctx, FileSlice slice, List<TestBatches.Batch> all) throws IOException {
        ByteBuffer buf = TestBatches.read(slice);
        RecordBatch batch = new RecordBatch();
        int pos = 0;
        long last = -1;
        boolean crcFailed = false;
        while (pos < buf.limit()) {
            assertThat(buf.limit() - pos).as(ctx + ": slice ends inside a batch header").isGreaterThanOrEqualTo(
                RecordBatchDescriptor.HEADER_SIZE);
            batch.wrap(buf, pos);
            int size = batch.sizeInBytes();
            assertThat(pos + size).as(ctx + ": slice ends on a batch boundary").isLessThanOrEqualTo(buf.limit());
            byte[] served = new byte[size];
            buf.duplicate().position(pos).get(served);
            TestBatches.Batch want = null;
            for (TestBatches.Batch b : all) {
                if (b.baseOffset() == batch.baseOffset()) {
                    want = b;
                }
            }
            boolean same = want != null && Arrays.equals(served, bytesOf(want));
            if (!same) {
                if (batch.isCrcValid()) {
                    throw new AssertionError(ctx + ": damaged batch served with a valid CRC at base offset "
                        + batch.baseOffset());
                }
                crcFailed = true;
            }
            last = batch.lastOffset();
            pos += size;
        }
        return crcFailed ? -Math.max(1, last) : last;
    }

    private static byte[] bytesOf(TestBatches.Batch b) {
        byte[] bytes = new byte[b.bytes().remaining()];
        b.bytes().duplicate().get(bytes);
        return bytes;
    }

    private static boolean inHeader(int at, List<Integer> starts) {
        int start = batchStartOf(at, starts);
        return at - start < RecordBatchDescriptor.HEADER_SIZE;
    }

    private static int batchStartOf(int at, List<Integer> starts) {
        int found = 0;
        for (int s : starts) {
            if (s <= at) {
                found = s;
            }
        }
        return found;
    }

    private static void restoreIndexes(List<Path> names, List<byte[]> contents, long base) throws IOException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).getFileName().toString();
            if (LogFileNames.baseOffsetOf(name) == base && !name.endsWith(LogFileNames.LOG_SUFFIX)) {
                Files.write(names.get(i), contents.get(i));
            }
        }
    }

    private static void restore(Path dir, List<Path> names, List<byte[]> contents) throws IOException {
        FileUtil.deleteRecursively(dir);
        Files.createDirectories(dir);
        for (int i = 0; i < names.size(); i++) {
            Files.write(names.get(i), contents.get(i));
        }
    }
}
