package io.cairn.broker.partition;

import io.cairn.storage.TopicPartition;
import java.util.concurrent.TimeUnit;

/**
 * The writer threads of the broker: a small fixed set, each a FIFO lane. Every partition is bound
 * to one lane by hash, so each partition has exactly one writer and work submitted for it runs
 * in submission order (which keeps records sent on one connection to one partition in send order:
 * the connection's event loop submits them in the order they arrived). A tiny append may run on the
 * submitting event loop instead when its lane is idle ({@link WriterLane#runHereIfIdle}).
 *
 * <p>Thread-safe.
 */
public final class PartitionWriters implements AutoCloseable {
    private final WriterLane[] lanes;

    public PartitionWriters(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("writer threads=" + threads + " must be at least 1");
        }
        lanes = new WriterLane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new WriterLane("cairn-writer-" + i);
        }
    }

    /** The lane that owns {@code partition}. */
    public WriterLane laneFor(TopicPartition partition) {
        return lanes[Math.floorMod(partition.hashCode(), lanes.length)];
    }

    public int threads() {
        return lanes.length;
    }

    /** Runs {@code task} on every lane (e.g. periodic snapshots), in each lane's order. */
    public void onEveryLane(Runnable task) {
        for (WriterLane lane : lanes) {
            lane.execute(task);
        }
    }

    /** Lets queued work finish, then stops the threads; waits up to {@code timeoutMs}. */
    public boolean shutdown(long timeoutMs) throws InterruptedException {
        for (WriterLane lane : lanes) {
            lane.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean done = true;
        for (WriterLane lane : lanes) {
            done &= lane.awaitTermination(Math.max(0, deadline - System.nanoTime()));
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
