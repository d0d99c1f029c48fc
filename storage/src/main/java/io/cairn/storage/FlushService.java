package io.cairn.storage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread forces logs to disk on behalf of everyone waiting for durability.
 *
 * <p>{@link #flushAsync} registers a waiter for "everything below offset X of log L is on disk".
 * The flush thread takes all waiters queued so far, forces each log that has any with a single
 * {@link Log#flush()} (which covers everything appended before it started), and completes every
 * waiter whose offset is covered. Waiters that arrive while a force is running are served by the
 * next one, so N concurrent producers with {@code acks=all} cost about one fsync per flush cycle,
 * not N. When a cycle has several logs to force, they are forced in parallel by up to
 * {@code forceThreads} threads: on a journaling file system concurrent fdatasyncs share journal
 * commits, so eight partitions' forces take about as long as one (measured here: one file, 200
 * fdatasync/s; eight files in parallel, 4,500/s), where one after the other they took eight times
 * as long. The cycle ends when every force of it ended. The thread also applies the periodic policies: {@code flush.ms} (checked every
 * {@code checkIntervalMs}) and {@code flush.messages} (requested by the appending thread).
 *
 * <p>Each force that made something durable is reported to the {@link ForceListener} (the
 * broker's {@code cairn_log_flush_batches_per_force}, {@code cairn_log_flush_records_per_force},
 * {@code cairn_log_force_latency_seconds}).
 *
 * <p>Threading: {@link #flushAsync}, {@link #requestFlush}, {@link #register} are thread-safe and
 * never block on disk, so network threads may call them. Futures complete on the flush thread or
 * one of its force threads:
 * continue on your own executor ({@code thenAcceptAsync(..., eventLoop)}) rather than doing work
 * on it. A failed force takes the log offline and completes its waiters exceptionally with
 * {@link LogOfflineException}; it is never retried.
 */
public final class FlushService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlushService.class);

    /** Told about each force that made something durable; runs on the force thread, so keep it cheap. */
    @FunctionalInterface
    public interface ForceListener {
        /**
         * @param log     the log forced
         * @param waiters waiters the force completed (acks=all appends acknowledged by it)
         * @param offsets offsets the recovery point moved by (records made durable by it)
         * @param nanos   duration of {@link Log#flush()}
         */
        void forced(Log log, int waiters, long offsets, long nanos);
    }

    private static final ForceListener NO_LISTENER = (log, waiters, offsets, nanos) -> { };

    private final Clock clock;
    private final long checkIntervalMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Set<Log> registered = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final ExecutorService forcers;
    private final AtomicLong forceCount = new AtomicLong();
    private final AtomicLong waitersServed = new AtomicLong();
    private Map<Log, List<Waiter>> pending = new LinkedHashMap<>();
    private volatile ForceListener listener = NO_LISTENER;
    private boolean running = true;

    private record Waiter(long offset, CompletableFuture<Long> future) {
    }

    /**
     * Starts the flush thread.
     *
     * @param clock           for {@code flush.ms}
     * @param checkIntervalMs how often registered logs are checked against {@code flush.ms}
     * @param threadName      name of the flush thread
     */
    public FlushService(Clock clock, long checkIntervalMs, String threadName) {
        this(clock, checkIntervalMs, threadName, 1);
    }

    /**
     * Starts the flush thread and, with {@code forceThreads > 1}, a pool of that many threads that
     * force the logs of one cycle in parallel.
     *
     * @param clock           for {@code flush.ms}
     * @param checkIntervalMs how often registered logs are checked against {@code flush.ms}
     * @param threadName      name of the flush thread (the pool's threads get it plus "-force-N")
     * @param forceThreads    logs forced at the same time, at least 1
     */
    public FlushService(Clock clock, long checkIntervalMs, String threadName, int forceThreads) {
        if (forceThreads < 1) {
            throw new IllegalArgumentException("forceThreads must be at least 1, got " + forceThreads);
        }
        this.clock = clock;
        this.checkIntervalMs = Math.max(1, checkIntervalMs);
        this.forcers = forceThreads == 1 ? null : forcePool(threadName, forceThreads);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Sets who is told about each force (metrics); replaces the previous listener. */
    public void forceListener(ForceListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Completes once every batch of {@code log} below {@code offsetExclusive} (typically an append's
     * {@code lastOffset + 1}) has been forced to disk; the value is the log's recovery point then.
     * Completes at once if it already is. Never blocks.
     */
    public CompletableFuture<Long> flushAsync(Log log, long offsetExclusive) {
        long rp = log.recoveryPoint();
        if (offsetExclusive <= rp) {
            waitersServed.incrementAndGet(); // already durable: a force of another waiter covered it
            return CompletableFuture.completedFuture(rp);
        }
        CompletableFuture<Long> future = new CompletableFuture<>();
        if (offsetExclusive > log.logEndOffset()) {
            future.completeExceptionally(new IllegalArgumentException(log.topicPartition() + ": flush up to "
                + offsetExclusive + " requested beyond end offset " + log.logEndOffset()));
            return future;
        }
        lock.lock();
        try {
            if (!running) {
                future.completeExceptionally(new LogOfflineException(log.topicPartition()
                    + ": flush service is closed", null));
                return future;
            }
            pending.computeIfAbsent(log, k -> new ArrayList<>()).add(new Waiter(offsetExclusive, future));
            work.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Asks for a flush of everything appended to {@code log} so far, with nobody waiting ({@code flush.messages}). */
    public void requestFlush(Log log) {
        lock.lock();
        try {
            if (running) {
                pending.computeIfAbsent(log, k -> new ArrayList<>());
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Includes {@code log} in the periodic {@code flush.ms} check. */
    public void register(Log log) {
        registered.add(log);
    }

    public void unregister(Log log) {
        registered.remove(log);
    }

    /** Forces performed by this service (one per log per flush cycle that found something to flush). */
    public long forceCount() {
        return forceCount.get();
    }

    /** Waiters completed normally: by a force, or at once when a force had already covered them. */
    public long waitersServed() {
        return waitersServed.get();
    }

    private void run() {
        long nextCheck = clock.millis() + checkIntervalMs;
        while (true) {
            Map<Log, List<Waiter>> batch;
            lock.lock();
            try {
                while (running && pending.isEmpty()) {
                    long waitMs = nextCheck - clock.millis();
                    if (waitMs <= 0) {
                        break;
                    }
                    work.await(waitMs, TimeUnit.MILLISECONDS);
                }
                if (!running) {
                    break;
                }
                batch = pending;
                pending = new LinkedHashMap<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                lock.unlock();
            }
            flushAll(batch);
            long now = clock.millis();
            if (now >= nextCheck) {
                nextCheck = now + checkIntervalMs;
                for (Log log : registered) {
                    if (!log.isOffline() && log.unflushedMessages() > 0
                        && now - log.lastFlushMs() >= log.config().flushMs()) {
                        flushAndComplete(log, List.of());
                    }
                }
            }
        }
        failAll(new LogOfflineException("flush service closed", null));
    }

    private static ExecutorService forcePool(String threadName, int threads) {
        AtomicLong created = new AtomicLong();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName + "-force-" + created.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Forces every log of one cycle, in parallel when there are several and a pool; returns when all are done. */
    private void flushAll(Map<Log, List<Waiter>> batch) {
        if (forcers == null || batch.size() == 1) {
            for (Map.Entry<Log, List<Waiter>> e : batch.entrySet()) {
                flushAndComplete(e.getKey(), e.getValue());
            }
            return;
        }
        List<CompletableFuture<Void>> forces = new ArrayList<>(batch.size());
        for (Map.Entry<Log, List<Waiter>> e : batch.entrySet()) {
            forces.add(CompletableFuture.runAsync(() -> flushAndComplete(e.getKey(), e.getValue()), forcers));
        }
        for (CompletableFuture<Void> f : forces) {
            try {
                f.join();
            } catch (RuntimeException e) {
                LOG.error("flush cycle: a force task failed outside the log's own handling: {}", e.toString());
            }
        }
    }

    private void flushAndComplete(Log log, List<Waiter> waiters) {
        long recoveryPoint;
        long recoveryPointBefore = log.recoveryPoint();
        long startNanos = System.nanoTime();
        try {
            long before = log.flushCount();
            recoveryPoint = log.flush();
            if (log.flushCount() != before) {
                forceCount.incrementAndGet();
            }
        } catch (RuntimeException e) {
            LOG.error("{}: flush failed: {}", log.topicPartition(), e.toString());
            for (Waiter w : waiters) {
                w.future().completeExceptionally(e);
            }
            return;
        }
        long nanos = System.nanoTime() - startNanos;
        List<Waiter> later = null;
        int served = 0;
        for (Waiter w : waiters) {
            if (w.offset() <= recoveryPoint) {
                served++;
                waitersServed.incrementAndGet();
                w.future().complete(recoveryPoint);
            } else if (w.offset() > log.logEndOffset()) {
                w.future().completeExceptionally(new StorageException(log.topicPartition() + ": offset " + w.offset()
                    + " no longer in the log (end offset " + log.logEndOffset() + " after truncation)"));
            } else {
                // Asked for an offset not yet appended when the flush began: wait for the next cycle.
                if (later == null) {
                    later = new ArrayList<>();
                }
                later.add(w);
            }
        }
        if (later != null) {
            lock.lock();
            try {
                pending.computeIfAbsent(log, k -> new ArrayList<>()).addAll(later);
            } finally {
                lock.unlock();
            }
        }
        if (served > 0 || recoveryPoint > recoveryPointBefore) {
            try {
                listener.forced(log, served, Math.max(0, recoveryPoint - recoveryPointBefore), nanos);
            } catch (RuntimeException e) {
                LOG.warn("{}: force listener failed: {}", log.topicPartition(), e.toString());
            }
        }
    }

    private void failAll(RuntimeException cause) {
        Map<Log, List<Waiter>> left;
        lock.lock();
        try {
            running = false;
            left = pending;
            pending = new LinkedHashMap<>();
        } finally {
            lock.unlock();
        }
        for (List<Waiter> waiters : left.values()) {
            for (Waiter w : waiters) {
                w.future().completeExceptionally(cause);
            }
        }
    }

    /** Stops the thread; waiters still queued complete exceptionally. Does not flush (the manager does). */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (forcers != null) {
            forcers.shutdown();
        }
        failAll(new LogOfflineException("flush service closed", null));
    }
}
