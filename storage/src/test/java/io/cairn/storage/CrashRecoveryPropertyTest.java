package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.record.RecordBatchDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Attacks the files: writes random batches, "crashes" (files closed, nothing trimmed or
 * checkpointed), cuts and overwrites bytes, reopens, and compares with what was written.
 */
class CrashRecoveryPropertyTest {
    private static final int EPOCH_FROM = RecordBatchDescriptor.PARTITION_LEADER_EPOCH_OFFSET;
    private static final int EPOCH_TO = EPOCH_FROM + RecordBatchDescriptor.PARTITION_LEADER_EPOCH_LENGTH;

    enum Damage { CUT, OVERWRITE, CUT_AND_OVERWRITE }

    /** A written batch and where it went. */
    private record Written(long segmentBase, int position, TestBatches.Batch batch) {
    }

    private final LogEnvironment env = new LogEnvironment(Clock.systemUTC(), FileChannelFactory.DEFAULT, null,
        (l, c) -> { }, null, null);

    private static LogConfig randomConfig(Random r) {
        return LogConfig.builder().segmentBytes(1500 + r.nextInt(5000)).indexIntervalBytes(r.nextInt(500))
            .segmentIndexBytes(48 + r.nextInt(1000)).build();
    }

    /** Appends random batches (sometimes several per append); returns each batch with its segment and position. */
    private static List<Written> fill(Log log, Random r) {
        TestBatches batches = new TestBatches();
        List<Written> written = new ArrayList<>();
        int appends = 5 + r.nextInt(50);
        for (int i = 0; i < appends; i++) {
            List<ByteBuffer> parts = new ArrayList<>();
            int n = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
            for (int j = 0; j < n; j++) {
                parts.add(batches.batch(r, 1 + r.nextInt(6), r.nextInt(150), 1_000_000 + r.nextInt(10_000)));
            }
            ByteBuffer buf = TestBatches.concat(parts);
            // Leader epochs never decrease; now and then a new leader takes over.
            int epoch = Math.max(0, log.latestLeaderEpoch()) + (r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 0);
            LogAppendResult result = log.append(buf, epoch);
            int position = result.position();
            for (TestBatches.Batch b : TestBatches.batches(buf)) {
                written.add(new Written(result.segmentBaseOffset(), position, b));
                position += b.size();
            }
        }
        return written;
    }

    private static Path tempDir() throws IOException {
        return Files.createTempDirectory("cairn-crash");
    }

    private static void assertReadsBack(Log log, List<Written> expected) throws IOException {
        List<TestBatches.Batch> got = LogTestSupport.readAll(log, 0);
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.size(); i++) {
            TestBatches.Batch want = expected.get(i).batch();
            assertThat(got.get(i).baseOffset()).isEqualTo(want.baseOffset());
            assertThat(got.get(i).lastOffset()).isEqualTo(want.lastOffset());
            assertThat(got.get(i).bytes()).as("batch %d bytes", i).isEqualTo(want.bytes());
        }
        long end = expected.isEmpty() ? log.activeSegment().baseOffset()
            : expected.get(expected.size() - 1).batch().lastOffset() + 1;
        assertThat(log.logEndOffset()).isEqualTo(end);
        IndexChecks.assertIndexesAgreeWithScan(log);
    }

    @Property(tries = 250)
    void activeSegmentDamageEndsTheLogAtTheLastWholeValidBatch(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
                                                             @ForAll Damage damage) throws IOException {
        Random r = new Random(seed);
        Path dataDir = tempDir();
        try {
            LogConfig config = randomConfig(r);
            Log log = LogTestSupport.open(dataDir, config, env);
            List<Written> written = fill(log, r);
            LogSegment active = log.activeSegment();
            long activeBase = active.baseOffset();
            Path file = active.logFile();
            int size = active.size();
            IndexChecks.crash(log);

            int cut = size;
            boolean[] changed = new boolean[size];
            if (damage != Damage.OVERWRITE) {
                cut = r.nextInt(size + 1);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                if (damage != Damage.CUT && cut > 0) {
                    int bytes = 1 + r.nextInt(8);
                    for (int i = 0; i < bytes; i++) {
                        int at = r.nextInt(cut);
                        ByteBuffer one = ByteBuffer.allocate(1);
                        ch.read(one, at);
                        byte flipped = (byte) (one.get(0) ^ (1 + r.nextInt(255)));
                        ch.write(ByteBuffer.wrap(new byte[] {flipped}), at);
                        changed[at] = true;
                    }
                }
                ch.truncate(cut);
            }

            List<Written> expected = new ArrayList<>();
            for (Written w : written) {
                if (w.segmentBase() != activeBase) {
                    expected.add(w);
                    continue;
                }
                int end = w.position() + w.batch().size();
                boolean survives = end <= cut;
                // Any changed byte, the leader epoch's included (checked against the partition's epochs).
                for (int p = w.position(); survives && p < end; p++) {
                    survives = !changed[p];
                }
                if (!survives) {
                    break;
                }
                expected.add(w);
            }

            Log recovered = Log.open(log.dir(), LogTestSupport.TP, config, env, false, 0, 0);
            try {
                assertReadsBack(recovered, expected);
                // The log keeps working: appends continue right after the last valid batch.
                long end = recovered.logEndOffset();
                LogAppendResult again = recovered.append(new TestBatches().batch(r, 2, 10, 5),
                    Math.max(0, recovered.latestLeaderEpoch()));
                assertThat(again.firstOffset()).isEqualTo(end);
                assertThat(LogTestSupport.readAll(recovered, 0)).hasSize(expected.size() + 1);
            } finally {
                recovered.close();
            }
        } finally {
            FileUtil.deleteRecursively(dataDir);
        }
    }

    @Property(tries = 120)
    void sealedSegmentDamageIsNeverServed(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws IOException {
        Random r = new Random(seed);
        Path dataDir = tempDir();
        try {
            LogConfig config = LogConfig.builder().segmentBytes(1500 + r.nextInt(2000)).indexIntervalBytes(r.nextInt(300))
                .segmentIndexBytes(4096).build();
            Log log = LogTestSupport.open(dataDir, config, env);
            List<Written> written = fill(log, r);
            while (log.segmentCount() < 2) {
                written.addAll(fill(log, r));
            }
            List<LogSegment> segments = log.segmentsSnapshot();
            LogSegment victim = segments.get(r.nextInt(segments.size() - 1));
            int at = r.nextInt(victim.size());
            IndexChecks.crash(log);
            byte[] before;
            try (FileChannel ch = FileChannel.open(victim.logFile(), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, at);
                ch.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ (1 + r.nextInt(255)))}), at);
            }
            before = Files.readAllBytes(victim.logFile());

            // The damaged batch, and whether a later batch of the same segment exists.
            Written hit = null;
            boolean laterInSegment = false;
            for (Written w : written) {
                if (w.segmentBase() != victim.baseOffset()) {
                    continue;
                }
                if (hit != null) {
                    laterInSegment = true;
                    break;
                }
                if (at >= w.position() && at < w.position() + w.batch().size()) {
                    hit = w;
                }
            }
            assertThat(hit).isNotNull();
            int field = at - hit.position();
            // A changed leader epoch leaves the batch whole with a valid CRC: no torn write, refused even at the end.
            boolean epochOnly = field >= EPOCH_FROM && field < EPOCH_TO;
            if (laterInSegment || epochOnly) {
                assertThatThrownBy(() -> Log.open(log.dir(), LogTestSupport.TP, config, env, false, 0, 0))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining(victim.logFile().getFileName().toString())
                    .hasMessageContaining("position=" + hit.position());
                assertThat(Files.readAllBytes(victim.logFile())).isEqualTo(before);
            } else {
                // The last batch of the segment: indistinguishable from a torn tail of unflushed data.
                Log recovered = Log.open(log.dir(), LogTestSupport.TP, config, env, false, 0, 0);
                try {
                    List<Written> expected = written.subList(0, written.indexOf(hit));
                    assertReadsBack(recovered, expected);
                } finally {
                    recovered.close();
                }
            }
        } finally {
            FileUtil.deleteRecursively(dataDir);
        }
    }
}
