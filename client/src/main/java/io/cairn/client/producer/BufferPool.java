package io.cairn.client.producer;

import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.InterruptException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's {@code buffer.memory} budget: bytes of batches that are open, waiting or in flight.
 * {@link #reserve} blocks up to {@code max.block.ms} while the budget is used up; waiters are served
 * first come, first served, so a large record cannot starve behind a stream of small ones.
 *
 * <p>Thread-safe: application threads reserve (a send from a callback, on the network thread, never
 * waits: it reserves with {@code maxBlockMs} 0), the sender releases; all state is guarded by
 * one lock, held only for the bookkeeping.
 */
final class BufferPool {
    private final long totalBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Condition> waiters = new ArrayDeque<>();
    private long availableBytes;
    private boolean closed;

    BufferPool(long totalBytes) {
        this.totalBytes = totalBytes;
        this.availableBytes = totalBytes;
    }

    /**
     * Takes {@code bytes} from the budget, waiting up to {@code maxBlockMs} for them to be released.
     *
     * @throws BufferExhaustedException when the bytes did not become free in time
     * @throws IllegalArgumentException when {@code bytes} exceeds the whole budget
     */
    void reserve(int bytes, long maxBlockMs) {
        if (bytes > totalBytes) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes from buffer.memory=" + totalBytes);
        }
        lock.lock();
        try {
            checkOpen();
            if (waiters.isEmpty() && availableBytes >= bytes) {
                availableBytes -= bytes;
                return;
            }
            Condition turn = lock.newCondition();
            waiters.addLast(turn);
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
            try {
                while (waiters.peekFirst() != turn || availableBytes < bytes) {
                    checkOpen();
                    if (remainingNs <= 0) {
                        throw new BufferExhaustedException("failed to allocate " + bytes + " bytes within max.block.ms="
                                + maxBlockMs + ": buffer.memory=" + totalBytes + " has " + availableBytes
                                + " bytes free and " + (waiters.size() - 1) + " other sends waiting");
                    }
                    remainingNs = turn.awaitNanos(remainingNs);
                }
                checkOpen();
                availableBytes -= bytes;
            } finally {
                waiters.remove(turn);
                Condition next = waiters.peekFirst();
                if (next != null) {
                    next.signal();
                }
            }
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting for " + bytes + " bytes of buffer.memory", e);
        } finally {
            lock.unlock();
        }
    }

    /** Returns {@code bytes} to the budget and wakes the first waiter. */
    void release(int bytes) {
        lock.lock();
        try {
            availableBytes += bytes;
            if (availableBytes > totalBytes) {
                throw new IllegalStateException("buffer.memory accounting broken: " + availableBytes
                        + " bytes free of " + totalBytes + " after releasing " + bytes);
            }
            Condition first = waiters.peekFirst();
            if (first != null) {
                first.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Fails every current and future waiter: the producer is closing. */
    void close() {
        lock.lock();
        try {
            closed = true;
            waiters.forEach(Condition::signal);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClientClosedException("producer closed while waiting for buffer.memory");
        }
    }

    /** Bytes free right now. */
    long availableBytes() {
        lock.lock();
        try {
            return availableBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Sends blocked waiting for space right now. */
    int waiterCount() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** The whole budget. */
    long totalBytes() {
        return totalBytes;
    }
}
