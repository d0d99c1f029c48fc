package io.cairn.client.internals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up flag one thread sleeps on and any thread raises: {@link #await} returns early once
 * {@link #signal} was called since the last await. Used to wake the producer's sender and the
 * consumer's poll when responses arrive. Thread-safe.
 *
 * <p>Raising a flag that is already up takes no lock: the producer raises it on nearly every send
 * while its sender is behind. That is safe because the waiter lowers the flag on its way out of
 * {@link #await} and only then looks at the state the signal was about, so a state change made
 * before a raise that found the flag up is seen by the waiter's next look.
 */
public final class Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private volatile boolean signalled;

    /** Raises the flag and wakes the waiter. */
    public void signal() {
        if (signalled) {
            return;
        }
        lock.lock();
        try {
            signalled = true;
            raised.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until signalled or {@code timeoutMs} passes, then lowers the flag.
     *
     * @return whether the flag was raised
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean await(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
            while (!signalled && remainingNs > 0) {
                remainingNs = raised.awaitNanos(remainingNs);
            }
            boolean was = signalled;
            signalled = false;
            return was;
        } finally {
            lock.unlock();
        }
    }
}
