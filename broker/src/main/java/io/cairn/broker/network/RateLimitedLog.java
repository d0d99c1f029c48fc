package io.cairn.broker.network;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that a misbehaving peer can trigger at will (oversized frames, garbage, connection
 * floods), logged at most once per interval so a hostile client cannot flood the broker's log.
 * Lines dropped in between are counted and reported with the next line that gets through.
 * Thread-safe: event loops share one instance per kind of event.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowedNanos;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMs) {
        this(log, intervalMs, System::nanoTime);
    }

    RateLimitedLog(Logger log, long intervalMs, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.nanoClock = nanoClock;
        this.nextAllowedNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Logs {@code message} (an SLF4J pattern) at WARN unless another line went out less than an
     * interval ago. Returns whether it was logged.
     */
    public boolean warn(String message, Object... args) {
        long now = nanoClock.getAsLong();
        long next = nextAllowedNanos.get();
        if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long dropped = suppressed.getAndSet(0);
        if (dropped > 0) {
            log.warn(message + " ({} similar events suppressed)", append(args, dropped));
        } else {
            log.warn(message, args);
        }
        return true;
    }

    /** Adds the count as the last placeholder argument, keeping a trailing Throwable last. */
    private static Object[] append(Object[] args, long dropped) {
        Object[] all = new Object[args.length + 1];
        boolean throwableLast = args.length > 0 && args[args.length - 1] instanceof Throwable;
        int at = throwableLast ? args.length - 1 : args.length;
        System.arraycopy(args, 0, all, 0, at);
        all[at] = dropped;
        if (throwableLast) {
            all[args.length] = args[args.length - 1];
        }
        return all;
    }
}
