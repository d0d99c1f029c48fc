package io.cairn.broker.partition;

import io.cairn.storage.TopicPartition;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The writer threads of the broker: a small fixed set, each a FIFO lane. Every partition is bound
 * to one lane by hash, so each partition has exactly one writer and work submitted for it runs
 * in submission order (which keeps records sent on one connection to one partition in send order:
 * the connection's event loop submits them in the order they arrived).
 *
 * <p>Thread-safe.
 */
public final class PartitionWriters implements AutoCloseable {
    private final ExecutorService[] lanes;

    public PartitionWriters(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("writer threads=" + threads + " must be at least 1");
        }
        lanes = new ExecutorService[threads];
        for (int i = 0; i < threads; i++) {
            int lane = i;
            lanes[i] = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "cairn-writer-" + lane);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** The lane that owns {@code partition}. */
    public ExecutorService laneFor(TopicPartition partition) {
        return lanes[Math.floorMod(partition.hashCode(), lanes.length)];
    }

    public int threads() {
        return lanes.length;
    }

    /** Runs {@code task} on every lane (e.g. periodic snapshots), in each lane's order. */
    public void onEveryLane(Runnable task) {
        for (ExecutorService lane : lanes) {
            lane.execute(task);
        }
    }

    /** Lets queued work finish, then stops the threads; waits up to {@code timeoutMs}. */
    public boolean shutdown(long timeoutMs) throws InterruptedException {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean done = true;
        for (ExecutorService lane : lanes) {
            done &= lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    /**
     * Stops the lanes after their queued work, without interrupting it: an interrupt during a
     * file write would close storage's channel for everyone.
     */
    @Override
    public void close() {
        try {
            shutdown(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
