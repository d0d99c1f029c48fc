package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(11);
    private final List<LogManager> managers = new ArrayList<>();

    private static final LogConfig SMALL = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(200)
        .segmentIndexBytes(1024).fileDeleteDelayMs(0).build();

    @AfterEach
    void closeAll() {
        managers.forEach(LogManager::close);
    }

    private LogManager open() {
        return open(LogManagerConfig.builder().clock(clock).defaultLogConfig(SMALL).recoveryThreads(2).build());
    }

    private LogManager open(LogManagerConfig config) {
        LogManager m = LogManager.open(dataDir, config);
        managers.add(m);
        return m;
    }

    private void fill(Log log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(batches.batch(random, 1 + random.nextInt(4), random.nextInt(100), clock.millis()), 0);
        }
    }

    @Test
    void createsAppendsClosesCleanlyAndReopensWithoutRecovery() throws IOException {
        LogManager m = open();
        TopicPartition a = new TopicPartition("orders-eu.v2", 0);
        TopicPartition b = new TopicPartition("orders-eu.v2", 17);
        Log la = m.getOrCreateLog(a, SMALL);
        Log lb = m.getOrCreateLog(b, SMALL);
        assertThat(m.getOrCreateLog(a, SMALL)).isSameAs(la);
        fill(la, 50);
        fill(lb, 5);
        List<TestBatches.Batch> contentA = LogTestSupport.readAll(la, 0);
        long endA = la.logEndOffset();
        assertThat(Files.isDirectory(dataDir.resolve("orders-eu.v2-17"))).isTrue();
        m.close();
        assertThat(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isTrue();
        assertThat(Files.readString(dataDir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT)))
            .contains("orders-eu.v2 0 " + endA).contains("orders-eu.v2 17 " + lb.logEndOffset());

        LogManager again = open();
        assertThat(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).as("marker removed at open").isFalse();
        Log ra = again.log(a).orElseThrow();
        assertThat(ra.logEndOffset()).isEqualTo(endA);
        assertThat(ra.recoveryPoint()).isEqualTo(endA);
        assertThat(LogTestSupport.readAll(ra, 0)).usingRecursiveFieldByFieldElementComparator().isEqualTo(contentA);
        assertThat(again.logs()).hasSize(2);
        assertThat(ra.sizeInBytes()).isEqualTo(contentA.stream().mapToLong(TestBatches.Batch::size).sum());
        assertThat(ra.segmentCount()).isGreaterThan(1);
    }

    @Test
    void uncleanStopIsRecoveredFromTheCheckpointedRecoveryPoint() throws IOException {
        LogManager m = open();
        TopicPartition tp = new TopicPartition("t", 0);
        Log log = m.getOrCreateLog(tp, SMALL);
        fill(log, 40);
        log.flush();
        m.checkpoint();
        fill(log, 10);
        List<TestBatches.Batch> content = LogTestSupport.readAll(log, 0);
        LogSegment active = log.activeSegment();
        // Crash: nothing closed, no marker; the tail of the active segment is torn.
        IndexChecks.crash(log);
        try (FileChannel ch = FileChannel.open(active.logFile(), StandardOpenOption.WRITE)) {
            ch.truncate(active.size() - 1);
        }
        managers.remove(m);
        abandon(m);

        LogManager recovered = open();
        Log r = recovered.log(tp).orElseThrow();
        List<TestBatches.Batch> after = LogTestSupport.readAll(r, 0);
        assertThat(after).usingRecursiveFieldByFieldElementComparator().isEqualTo(content.subList(0, content.size() - 1));
        IndexChecks.assertIndexesAgreeWithScan(r);
    }

    /** Releases a manager's lock and threads without any of the clean-shutdown steps (a simulated crash). */
    private static void abandon(LogManager m) {
        m.halt();
    }

    @Test
    void secondManagerOnTheSameDirectoryIsRefused() {
        open();
        assertThatThrownBy(this::open).isInstanceOf(LogDirLockedException.class).hasMessageContaining(dataDir.toString());
    }

    @Test
    void deleteRemovesTheDirectoryAfterTheDelay() throws IOException {
        LogManager m = open(LogManagerConfig.builder().clock(clock).defaultLogConfig(SMALL).build());
        TopicPartition tp = new TopicPartition("gone", 1);
        // The delay must outlast the read of the held slice below, even on a loaded machine.
        Log log = m.getOrCreateLog(tp, SMALL.toBuilder().fileDeleteDelayMs(2_000).build());
        fill(log, 10);
        LogReadResult held = log.read(0, 1000, log.logEndOffset());
        assertThat(m.deleteLog(tp)).isTrue();
        assertThat(m.log(tp)).isEmpty();
        assertThat(Files.exists(dataDir.resolve("gone-1"))).isFalse();
        // A slice handed out before the delete still reads.
        assertThat(TestBatches.batches(TestBatches.read(held.slice()))).isNotEmpty();
        assertThatThrownBy(() -> log.append(batches.batch(random, 1, 1, 1), 0)).isInstanceOf(LogOfflineException.class);
        await("deleted directory removed").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> s = Files.list(dataDir)) {
                return s.noneMatch(p -> p.getFileName().toString().startsWith("gone-1"));
            }
        });
        assertThat(m.deleteLog(tp)).isFalse();
        Log fresh = m.getOrCreateLog(tp, SMALL);
        assertThat(fresh.logEndOffset()).isZero();
    }

    @Test
    void leftoverDeleteDirectoriesAndForeignDirectoriesAreHandledAtStart() throws IOException {
        Files.createDirectories(dataDir.resolve("old-0.0123abcd-delete"));
        Files.write(dataDir.resolve("old-0.0123abcd-delete/0000000000000000000.log"), new byte[5]);
        Files.createDirectories(dataDir.resolve("meta"));
        Files.createDirectories(dataDir.resolve("not a topic-1"));
        LogManager m = open();
        assertThat(Files.exists(dataDir.resolve("old-0.0123abcd-delete"))).isFalse();
        assertThat(Files.exists(dataDir.resolve("meta"))).isTrue();
        assertThat(m.logs()).isEmpty();
    }

    @Test
    void damagedPartitionGoesOfflineWithoutStoppingTheOthers() throws IOException {
        LogManager m = open();
        TopicPartition bad = new TopicPartition("bad", 0);
        TopicPartition good = new TopicPartition("good", 0);
        Log badLog = m.getOrCreateLog(bad, SMALL);
        fill(badLog, 40);
        fill(m.getOrCreateLog(good, SMALL), 5);
        LogSegment sealed = badLog.segmentsSnapshot().get(0);
        IndexChecks.crash(badLog);
        managers.remove(m);
        abandon(m);
        try (FileChannel ch = FileChannel.open(sealed.logFile(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), sealed.size() / 2);
        }
        LogManager again = open();
        assertThat(again.log(good)).isPresent();
        assertThat(again.log(bad)).isEmpty();
        Map<TopicPartition, StorageException> offline = again.offlinePartitions();
        assertThat(offline).containsOnlyKeys(bad);
        assertThat(offline.get(bad)).isInstanceOf(CorruptLogException.class)
            .hasMessageContaining(sealed.logFile().getFileName().toString());
        assertThatThrownBy(() -> again.getOrCreateLog(bad, SMALL)).isInstanceOf(LogOfflineException.class);
    }

    @Test
    void fsyncFailureTakesTheWholeDirectoryOffline() throws Exception {
        List<String> failing = new CopyOnWriteArrayList<>();
        FileChannelFactory channels = ForwardingFileChannel.factory(path -> true,
            (real, path) -> new ForwardingFileChannel(real, path) {
                @Override
                public void force(boolean metaData) throws IOException {
                    if (failing.stream().anyMatch(path.toString()::contains)) {
                        throw new IOException("EIO (injected) on " + path);
                    }
                    super.force(metaData);
                }
            });
        LogManager m = open(LogManagerConfig.builder().clock(clock).defaultLogConfig(SMALL).channels(channels).build());
        Log a = m.getOrCreateLog(new TopicPartition("a", 0), SMALL);
        Log b = m.getOrCreateLog(new TopicPartition("b", 0), SMALL);
        fill(a, 3);
        fill(b, 3);
        failing.add("a-0");
        assertThatThrownBy(() -> m.flushAsync(a, a.logEndOffset()).get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(LogOfflineException.class);
        assertThat(m.isOffline()).isTrue();
        assertThat(b.isOffline()).isTrue();
        assertThatThrownBy(() -> b.append(batches.batch(random, 1, 1, 1), 0)).isInstanceOf(LogOfflineException.class);
        assertThatThrownBy(() -> m.getOrCreateLog(new TopicPartition("c", 0), SMALL)).isInstanceOf(LogOfflineException.class);
        m.close();
        assertThat(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).as("no clean marker after failure").isFalse();
    }

    @Test
    void endOffsetListenerHearsEveryLog() {
        List<String> heard = new CopyOnWriteArrayList<>();
        LogManager m = open(LogManagerConfig.builder().clock(clock).defaultLogConfig(SMALL)
            .endOffsetListener((log, end) -> heard.add(log.topicPartition() + "@" + end)).build());
        Log log = m.getOrCreateLog(new TopicPartition("x", 2), SMALL);
        log.append(batches.batch(random, 3, 1, 1), 0);
        assertThat(heard).containsExactly("x-2@3");
    }
}
