package io.cairn.cli.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts sends whose futures have not completed yet, so a command can wait until every
 * acknowledgement callback has run (a producer's {@code flush()} waits for the batches, not for
 * the callbacks chained on each record's future). Thread-safe: {@link #begin} on the sending
 * thread and {@link #end} on the producer's callback thread are lock-free (a perf run calls them
 * a million times a second); only the last {@link #end} takes the monitor, to wake
 * {@link #awaitNone}.
 */
public final class InFlight {
    private final AtomicLong count = new AtomicLong();

    public void begin() {
        count.incrementAndGet();
    }

    public void end() {
        if (count.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Waits until nothing is in flight, at most {@code timeoutMs}; returns whether that happened. */
    public synchronized boolean awaitNone(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (count.get() > 0) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    public long count() {
        return count.get();
    }
}
