package io.cairn.broker.partition;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer lane: runs its tasks one at a time in submission order, on its own thread or, through
 * {@link #runHereIfIdle}, on the submitting thread when nothing is queued or running.
 *
 * <p>The second path is for tiny appends on an event loop: handing a 100-byte append to the lane
 * thread and its answer back costs two thread wake-ups (futex and eventfd system calls, context
 * switches), which on a small VM cost more CPU than the append's own {@code write}. Running it on
 * the caller when the lane is idle keeps the lane's rules: one task at a time, in submission order
 * (a task submitted later by the same thread runs after it; concurrent submitters have no order
 * between them, as before).
 *
 * <p>How: {@code pending} counts tasks submitted and not finished. Whoever moves it from 0 owns
 * the lane until it is back at 0: the lane thread draining the queue, or a caller running its own
 * task in {@link #runHereIfIdle}; a caller that finishes while tasks were queued behind it hands
 * the lane to the thread. The atomic hand-over also orders the memory effects of successive tasks
 * (what one task wrote, the next sees), as a single-threaded executor does.
 *
 * <p>Thread-safe.
 */
public final class WriterLane implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLane.class);

    private final String name;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService thread;
    private volatile boolean closed;

    WriterLane(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code task} for the lane thread. */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("writer lane " + name + " is shut down");
        }
        queue.add(task);
        if (pending.getAndIncrement() == 0) {
            startDrain();
        }
    }

    /**
     * Runs {@code task} on the calling thread if the lane has nothing queued or running; returns
     * false (and does nothing) otherwise, or once the lane is shut down.
     */
    public boolean runHereIfIdle(Runnable task) {
        if (closed || !pending.compareAndSet(0, 1)) {
            return false;
        }
        try {
            task.run();
        } finally {
            if (pending.decrementAndGet() > 0) {
                startDrain();
            }
        }
        return true;
    }

    private void startDrain() {
        try {
            thread.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // shut down while tasks were still queued: run them here so every task runs once
            drain();
        }
    }

    /** Runs queued tasks until none is pending; only the lane's current owner calls this. */
    private void drain() {
        do {
            Runnable task = queue.poll();
            if (task == null) {
                throw new IllegalStateException("writer lane " + name + ": " + pending.get()
                        + " tasks pending but none queued");
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("event=writer_task_failed lane={}", name, e);
            }
        } while (pending.decrementAndGet() > 0);
    }

    /** Refuses new tasks; those already queued still run. */
    void shutdown() {
        closed = true;
        thread.shutdown();
    }

    /** Waits until the lane thread has finished its queued work after {@link #shutdown()}. */
    boolean awaitTermination(long timeoutNanos) throws InterruptedException {
        return thread.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return name;
    }
}
