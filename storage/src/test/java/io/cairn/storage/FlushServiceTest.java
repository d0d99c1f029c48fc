package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlushServiceTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(3);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Counts forces of .log files; the first one waits for {@link #gate}. */
    private final AtomicInteger logForces = new AtomicInteger();
    private final CountDownLatch inFirstForce = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile IOException forceFailure;

    private final FileChannelFactory channels = ForwardingFileChannel.factory(ForwardingFileChannel.LOG_FILES,
        (real, path) -> new ForwardingFileChannel(real, path) {
            @Override
            public void force(boolean metaData) throws IOException {
                if (forceFailure != null) {
                    logForces.incrementAndGet();
                    throw forceFailure;
                }
                if (logForces.incrementAndGet() == 1) {
                    inFirstForce.countDown();
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.force(metaData);
            }
        });

    @AfterEach
    void close() throws Exception {
        gate.countDown();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Log openLog(List<Throwable> offlineCauses) {
        LogEnvironment env = new LogEnvironment(clock, channels, null, (log, cause) -> offlineCauses.add(cause), null, null);
        Log log = LogTestSupport.open(dataDir, LogConfig.defaults(), env);
        toClose.add(log::close);
        return log;
    }

    private FlushService service() {
        FlushService service = new FlushService(clock, 10, "test-flusher");
        toClose.add(service);
        return service;
    }

    @Test
    void oneForceServesEveryWaiterQueuedDuringTheCurrentForce() throws Exception {
        Log log = openLog(new ArrayList<>());
        FlushService service = service();
        List<long[]> reported = new ArrayList<>();
        service.forceListener((forcedLog, served, offsets, nanos) -> {
            synchronized (reported) {
                reported.add(new long[] {served, offsets});
            }
        });
        LogAppendResult firstAppend = log.append(batches.batch(random, 1, 10, 1), 0);
        CompletableFuture<Long> first = service.flushAsync(log, firstAppend.lastOffset() + 1);
        assertThat(inFirstForce.await(10, TimeUnit.SECONDS)).as("flush thread reached the first force").isTrue();

        int waiters = 50;
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            Thread t = new Thread(() -> {
                LogAppendResult r;
                synchronized (batches) {
                    r = log.append(batches.batch(new Random(), 1, 10, 1), 0);
                }
                CompletableFuture<Long> f = service.flushAsync(log, r.lastOffset() + 1);
                synchronized (futures) {
                    futures.add(f);
                }
            });
            producers.add(t);
            t.start();
        }
        for (Thread t : producers) {
            t.join();
        }
        assertThat(futures).hasSize(waiters).allMatch(f -> !f.isDone());
        gate.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (CompletableFuture<Long> f : futures) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1 + waiters);
        }
        // 51 waiters, 2 forces: the one in progress, and one for all who queued behind it.
        assertThat(logForces.get()).isEqualTo(2);
        assertThat(service.forceCount()).isEqualTo(2);
        assertThat(service.waitersServed()).isEqualTo(waiters + 1);
        assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset());
        // The listener (cairn_log_flush_batches_per_force) saw 1 waiter, then all 50 in one force.
        // It is told after the waiters are answered, so wait for its second call.
        await("listener told about the second force").atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (reported) {
                return reported.size() >= 2;
            }
        });
        synchronized (reported) {
            assertThat(reported).extracting(r -> r[0]).containsExactly(1L, (long) waiters);
            assertThat(reported).extracting(r -> r[1]).containsExactly(1L, (long) waiters);
        }
    }

    @Test
    void noWaiterIsAnsweredBeforeTheBytesBelowItsOffsetAreForced() throws Exception {
        gate.countDown();
        // Bytes of the .log file that a completed force covers: its size when that force began.
        AtomicLong durableBytes = new AtomicLong();
        AtomicReference<FileChannel> logFile = new AtomicReference<>();
        FileChannelFactory counting = ForwardingFileChannel.factory(ForwardingFileChannel.LOG_FILES, (real, path) -> {
            FileChannel channel = new ForwardingFileChannel(real, path) {
                @Override
                public void force(boolean metaData) throws IOException {
                    long size = size();
                    super.force(metaData);
                    durableBytes.accumulateAndGet(size, Math::max);
                }
            };
            logFile.set(channel);
            return channel;
        });
        LogEnvironment env = new LogEnvironment(clock, counting, null, (l, c) -> { }, null, null);
        Log log = Log.open(dataDir.resolve("d-0"), new TopicPartition("d", 0), LogConfig.defaults(), env, false, 0, 0);
        toClose.add(log::close);
        FlushService service = new FlushService(clock, 10, "test-durable-flusher", 4);
        toClose.add(service);

        int threads = 6;
        int appendsEach = 60;
        List<String> early = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random own = new Random(t);
            Thread thread = new Thread(() -> {
                for (int i = 0; i < appendsEach; i++) {
                    LogAppendResult r;
                    long needed;
                    synchronized (log) {
                        r = log.append(batches.batch(own, 2, 50, 1), 0);
                        try {
                            needed = logFile.get().size();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    CompletableFuture<Long> f = service.flushAsync(log, r.lastOffset() + 1);
                    f.thenRun(() -> {
                        long durable = durableBytes.get();
                        if (durable < needed) {
                            synchronized (early) {
                                early.add("offset " + r.lastOffset() + " answered with " + durable + " of " + needed
                                    + " bytes forced");
                            }
                        }
                    });
                    synchronized (futures) {
                        futures.add(f);
                    }
                }
            });
            producers.add(thread);
            thread.start();
        }
        for (Thread t : producers) {
            t.join();
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        assertThat(early).isEmpty();
        assertThat(futures).hasSize(threads * appendsEach);
        assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset()).isEqualTo(2L * threads * appendsEach);
        assertThat(durableBytes.get()).isEqualTo(logFile.get().size());
        assertThat(service.waitersServed()).isEqualTo(threads * appendsEach);
    }


    @Test
    void logsOfOneCycleAreForcedInParallel() throws Exception {
        int logs = 4;
        // Every force after the first waits until all logs of the cycle are inside force() together:
        // forced one after the other, the barrier would break on its timeout and the flush would fail.
        CyclicBarrier together = new CyclicBarrier(logs);
        AtomicInteger forces = new AtomicInteger();
        CountDownLatch firstForceEntered = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        FileChannelFactory parallelChannels = ForwardingFileChannel.factory(ForwardingFileChannel.LOG_FILES,
            (real, path) -> new ForwardingFileChannel(real, path) {
                @Override
                public void force(boolean metaData) throws IOException {
                    try {
                        if (forces.incrementAndGet() == 1) {
                            firstForceEntered.countDown();
                            releaseFirst.await(30, TimeUnit.SECONDS);
                        } else {
                            together.await(10, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException | BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                        throw new IOException("force of " + path + " did not run alongside the others: " + e, e);
                    }
                    super.force(metaData);
                }
            });
        LogEnvironment env = new LogEnvironment(clock, parallelChannels, null, (log, cause) -> { }, null, null);
        FlushService service = new FlushService(clock, 10, "test-parallel-flusher", logs);
        toClose.add(service);
        List<Log> opened = new ArrayList<>();
        for (int i = 0; i <= logs; i++) {
            TopicPartition tp = new TopicPartition("parallel", i);
            Log log = Log.open(dataDir.resolve(tp.dirName()), tp, LogConfig.defaults(), env, false, 0, 0);
            toClose.add(log::close);
            opened.add(log);
        }
        // Cycle 1: one log, held inside its force so the others queue up for one cycle together.
        Log first = opened.get(0);
        CompletableFuture<Long> held = service.flushAsync(first, first.append(batches.batch(random, 1, 10, 1), 0).lastOffset() + 1);
        assertThat(firstForceEntered.await(10, TimeUnit.SECONDS)).as("first force started").isTrue();
        List<CompletableFuture<Long>> cycle2 = new ArrayList<>();
        for (Log log : opened.subList(1, opened.size())) {
            cycle2.add(service.flushAsync(log, log.append(batches.batch(random, 3, 10, 1), 0).lastOffset() + 1));
        }
        releaseFirst.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        for (CompletableFuture<Long> f : cycle2) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(forces.get()).isEqualTo(1 + logs);
        assertThat(service.waitersServed()).isEqualTo(1 + logs);
    }

    @Test
    void aForceThreadCountBelowOneIsRefused() {
        assertThatThrownBy(() -> new FlushService(clock, 10, "bad", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forceThreads");
    }

    @Test
    void alreadyFlushedOffsetsCompleteAtOnce() throws Exception {
        gate.countDown();
        Log log = openLog(new ArrayList<>());
        FlushService service = service();
        log.append(batches.batch(random, 5, 10, 1), 0);
        assertThat(service.flushAsync(log, 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
        long forces = logForces.get();
        CompletableFuture<Long> again = service.flushAsync(log, 3);
        assertThat(again).isCompletedWithValue(5L);
        assertThat(logForces.get()).isEqualTo(forces);
        assertThat(service.flushAsync(log, 99)).isCompletedExceptionally();
    }

    @Test
    void failedFsyncTakesTheLogOfflineAndIsNeverRetried() {
        gate.countDown();
        List<Throwable> offline = new ArrayList<>();
        Log log = openLog(offline);
        FlushService service = service();
        forceFailure = new IOException("EIO (injected)");
        log.append(batches.batch(random, 2, 10, 1), 0);
        CompletableFuture<Long> f = service.flushAsync(log, 2);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(LogOfflineException.class)
            .hasMessageContaining("EIO (injected)");
        assertThat(log.isOffline()).isTrue();
        assertThat(offline).hasSize(1);
        assertThatThrownBy(() -> log.append(batches.batch(random, 2, 10, 1), 0)).isInstanceOf(LogOfflineException.class)
            .hasMessageContaining("offline");
        CompletableFuture<Long> again = service.flushAsync(log, 2);
        assertThatThrownBy(() -> again.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LogOfflineException.class);
        assertThat(logForces.get()).as("fsync is not retried").isEqualTo(1);
        assertThat(log.recoveryPoint()).isZero();
    }

    @Test
    void flushMessagesAndFlushMsPoliciesForceInTheBackground() {
        gate.countDown();
        FlushService service = service();
        LogEnvironment env = new LogEnvironment(clock, channels, null, (l, c) -> { }, null, service::requestFlush);
        Log log = Log.open(dataDir.resolve("m-0"), new TopicPartition("m", 0),
            LogConfig.builder().flushMessages(10).build(), env, false, 0, 0);
        toClose.add(log::close);
        for (int i = 0; i < 3; i++) {
            log.append(batches.batch(random, 3, 10, 1), 0);
        }
        assertThat(log.recoveryPoint()).isZero();
        log.append(batches.batch(random, 3, 10, 1), 0);
        await("flush.messages=10 after 12 messages").atMost(Duration.ofSeconds(10))
            .until(() -> log.recoveryPoint() == 12);

        Log timed = Log.open(dataDir.resolve("t-0"), new TopicPartition("t", 0),
            LogConfig.builder().flushMs(5_000).build(), env, false, 0, 0);
        toClose.add(timed::close);
        service.register(timed);
        timed.append(batches.batch(random, 2, 10, 1), 0);
        clock.advance(4_000);
        assertThat(timed.recoveryPoint()).isZero();
        clock.advance(1_000);
        await("flush.ms=5000 after 5 s").atMost(Duration.ofSeconds(10)).until(() -> timed.recoveryPoint() == 2);
    }
}
