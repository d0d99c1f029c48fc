package io.cairn.cli.perf;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a loop to a target rate: {@link #acquire()} returns when the next operation is due on a
 * fixed schedule (operation {@code i} at {@code start + i / rate}). The schedule is absolute, so
 * an overslept park or a stall is made up by not waiting afterwards: the average rate since the
 * start stays at the target, which is what Kafka's {@code --throughput} throttle keeps too. A rate
 * of -1 (or any negative) means no limit.
 *
 * <p>Used by one thread.
 */
public final class RatePacer {
    /** The time source and the way to wait; replaced in tests. */
    public interface Clock {
        long nanoTime();

        void parkNanos(long nanos);

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkNanos(long nanos) {
                LockSupport.parkNanos(nanos);
            }
        };
    }

    private final Clock clock;
    private final double intervalNanos;
    private final long startNanos;
    private long acquired;

    /** A pacer for {@code perSecond} operations a second from now; negative means unlimited. */
    public RatePacer(double perSecond, Clock clock) {
        if (perSecond == 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("rate must be > 0, or -1 for no limit: " + perSecond);
        }
        this.clock = clock;
        this.intervalNanos = perSecond < 0 ? 0 : 1e9 / perSecond;
        this.startNanos = clock.nanoTime();
    }

    public static RatePacer unlimited() {
        return new RatePacer(-1, Clock.SYSTEM);
    }

    /**
     * Waits until the next operation is due and returns when it was scheduled ({@code nanoTime}
     * scale; now, without a limit). A latency measured from the scheduled time rather than the
     * actual one counts the delay of a sender that fell behind (no coordinated omission).
     */
    public long acquire() {
        if (intervalNanos == 0) {
            return clock.nanoTime();
        }
        long due = startNanos + (long) (acquired * intervalNanos);
        acquired++;
        for (long wait = due - clock.nanoTime(); wait > 0; wait = due - clock.nanoTime()) {
            clock.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return due;
    }
}
