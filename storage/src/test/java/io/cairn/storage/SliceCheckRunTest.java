package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path's slice check ({@link LogSegment#checkSlice}) remembers what it checked: the
 * prefix of the segment and one run beyond it, so a consumer that starts mid-segment (after a
 * restart, or from a committed offset) has each header read once, not once per fetch; truncation
 * forgets what it cut; and damage outside the remembered parts is still reported.
 */
class SliceCheckRunTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final AtomicInteger logReads = new AtomicInteger();
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(11);
    private final List<Integer> positions = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    private Log log;
    private LogSegment segment;
    private BatchHeaderReader reader;

    /** Counts the positional reads of {@code .log} files: the header reads of the check. */
    private final FileChannelFactory counting = ForwardingFileChannel.factory(ForwardingFileChannel.LOG_FILES,
        (channel, path) -> new ForwardingFileChannel(channel, path) {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                logReads.incrementAndGet();
                return super.read(dst, position);
            }
        });

    @BeforeEach
    void fill() {
        LogEnvironment env = new LogEnvironment(clock, counting, null, (l, cause) -> { }, null, null);
        log = LogTestSupport.open(dataDir, LogConfig.builder().segmentBytes(1 << 20).indexIntervalBytes(4096).build(),
            env);
        append(300);
        segment = log.segmentsSnapshot().get(0);
        reader = BatchHeaderReader.forThread();
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void append(int count) {
        int pos = positions.isEmpty() ? 0 : segment.size();
        for (int i = 0; i < count; i++) {
            ByteBuffer b = batches.batch(random, 1 + random.nextInt(3), 100 + random.nextInt(300), clock.millis());
            long offset = log.append(b, 0).firstOffset();
            positions.add(pos);
            offsets.add(offset);
            pos += b.remaining();
        }
        positions.add(pos);
        offsets.add(log.logEndOffset());
    }

    /** Header reads of checking batches {@code [from, to)}, with the reader's window moved elsewhere first. */
    private int check(int from, int to) throws IOException {
        reader.read(segment, 0, segment.size()); // the window now holds the segment's start, not the slice
        int before = logReads.get();
        segment.checkSlice(positions.get(from), offsets.get(from), positions.get(to), reader, log.leaderEpochs());
        return logReads.get() - before;
    }

    @Test
    void aReaderStartingMidSegmentHasEachHeaderReadOnce() throws IOException {
        assertThat(check(150, 200)).as("first check of a slice beyond the prefix").isPositive();
        assertThat(check(150, 200)).as("the same slice again").isZero();
        assertThat(check(200, 250)).as("the next slice extends the run").isPositive();
        assertThat(check(160, 250)).as("inside the extended run").isZero();

        assertThat(check(0, 100)).as("the prefix").isPositive();
        assertThat(check(100, 150)).as("the prefix reaching the run").isPositive();
        assertThat(check(20, 240)).as("prefix and run joined").isZero();
        assertThat(check(0, 250)).isZero();

        assertThat(check(270, 280)).as("another run replaces the first").isPositive();
        assertThat(check(270, 280)).isZero();
        assertThat(check(240, 250)).as("the joined prefix stays").isZero();
        assertThat(check(255, 265)).as("between prefix and run: checked on its own").isPositive();
    }

    @Test
    void truncationForgetsWhatItCutAndNewBatchesAreChecked() throws IOException {
        check(0, 100);
        check(200, 280);
        log.truncateTo(offsets.get(240));
        positions.subList(241, positions.size()).clear();
        offsets.subList(241, offsets.size()).clear();
        positions.remove(240);
        offsets.remove(240);
        append(60);
        assertThat(check(0, 100)).as("the prefix below the cut stays").isZero();
        assertThat(check(200, 280)).as("the run reached past the cut: checked again").isPositive();
        assertThat(check(200, 280)).isZero();
    }

    @Test
    void damageOutsideTheRememberedPartsIsStillReported() throws IOException {
        check(0, 100);
        check(150, 200);
        int victim = 220;
        try (FileChannel ch = FileChannel.open(segment.logFile(), StandardOpenOption.WRITE)) {
            ByteBuffer wrongBase = ByteBuffer.allocate(Long.BYTES).putLong(0, offsets.get(victim) + 7);
            ch.write(wrongBase, positions.get(victim));
        }
        assertThatThrownBy(() -> check(200, 250)).as("extending the run over the damage")
            .isInstanceOf(CorruptLogException.class)
            .hasMessageContaining("position=" + positions.get(victim))
            .hasMessageContaining(segment.logFile().getFileName().toString());
        assertThatThrownBy(() -> check(150, 250)).as("and again: nothing past the damage was remembered")
            .isInstanceOf(CorruptLogException.class);
        assertThat(check(150, 200)).as("the run before the damage stays").isZero();
    }
}
