package io.cairn.reliability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The time goals of the suites (restart-to-serving, recovery speed). They are asserted as stated
 * only in the scripted long runs ({@code -Dcairn.reliability.strictTimes=true}, set by the scripts
 * in {@code reliability/}), which are meant for a machine that is not busy with anything else; in
 * {@code mvn verify}, which shares a loaded 2-core machine with other builds, the figures are
 * measured and reported, and only a generous bound (the broker comes back at all, in reasonable
 * time) is asserted, so that a busy machine cannot fail the build.
 */
final class TimeLimits {
    /** The bound asserted in place of a time goal when times are not strict. */
    static final Duration LOOSE = Duration.ofSeconds(90);

    private TimeLimits() {
    }

    /**
     * The wall-clock budget of a long loop ({@code -Dcairn.reliability.maxMinutes=M}): the loop stops
     * starting rounds once it is spent and checks what it did, so a slow machine gives fewer rounds,
     * reported as such, instead of no result. Unlimited by default.
     */
    static long loopDeadlineNanos() {
        long minutes = Long.getLong("cairn.reliability.maxMinutes", 0L);
        return minutes <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    }

    static boolean strict() {
        return Boolean.getBoolean("cairn.reliability.strictTimes");
    }

    /** {@code goal} when strict, else {@link #LOOSE}. */
    static Duration bound(Duration goal) {
        return strict() ? goal : LOOSE;
    }
}
