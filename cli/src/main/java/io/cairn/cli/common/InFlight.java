package io.cairn.cli.common;

/**
 * Counts sends whose futures have not completed yet, so a command can wait until every
 * acknowledgement callback has run (a producer's {@code flush()} waits for the batches, not for
 * the callbacks chained on each record's future). Thread-safe: {@link #begin} on the sending
 * thread, {@link #end} on the producer's callback thread, {@link #awaitNone} on either.
 */
public final class InFlight {
    private long count;

    public synchronized void begin() {
        count++;
    }

    public synchronized void end() {
        if (--count == 0) {
            notifyAll();
        }
    }

    /** Waits until nothing is in flight, at most {@code timeoutMs}; returns whether that happened. */
    public synchronized boolean awaitNone(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (count > 0) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    public synchronized long count() {
        return count;
    }
}
