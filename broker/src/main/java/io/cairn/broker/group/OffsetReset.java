package io.cairn.broker.group;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The arithmetic of an offset reset (the {@code cairn groups reset-offsets} family, as Kafka's
 * {@code kafka-consumer-groups --reset-offsets}). The caller looks up the log offsets, computes the
 * new offset per partition here, and writes it with an admin commit
 * ({@link OffsetCommitRequest#admin}), which the coordinator refuses while the group has members.
 *
 * <p>Every result is clamped to {@code [earliest, latest]}: a reset never points before the log
 * start (already deleted records) or past the log end. Pure functions; thread-safe.
 */
public final class OffsetReset {

    /** Where to move the committed offset. */
    public enum Strategy {
        /** To the log start offset. */
        EARLIEST,
        /** To the log end offset (skip everything there is). */
        LATEST,
        /** To a given offset. */
        TO_OFFSET,
        /** To the first offset whose timestamp is at or after a given time (the log end when none is). */
        TO_TIMESTAMP,
        /** Forward (positive) or back (negative) from the committed offset. */
        SHIFT_BY,
        /** Keep the committed offset (clamped). */
        CURRENT
    }

    /**
     * A reset: a strategy and its parameter (the offset for TO_OFFSET, epoch milliseconds for
     * TO_TIMESTAMP, the signed shift for SHIFT_BY; ignored otherwise).
     */
    public record Spec(Strategy strategy, long value) {
        public Spec {
            Objects.requireNonNull(strategy, "strategy");
        }

        public static Spec earliest() {
            return new Spec(Strategy.EARLIEST, 0);
        }

        public static Spec latest() {
            return new Spec(Strategy.LATEST, 0);
        }

        public static Spec toOffset(long offset) {
            return new Spec(Strategy.TO_OFFSET, offset);
        }

        public static Spec toTimestamp(long timestampMs) {
            return new Spec(Strategy.TO_TIMESTAMP, timestampMs);
        }

        public static Spec shiftBy(long delta) {
            return new Spec(Strategy.SHIFT_BY, delta);
        }

        public static Spec current() {
            return new Spec(Strategy.CURRENT, 0);
        }
    }

    private OffsetReset() {
    }

    /**
     * The new committed offset of one partition.
     *
     * @param spec               the reset
     * @param committed          the current committed offset, -1 when there is none
     * @param earliest           the partition's log start offset
     * @param latest             the partition's log end offset
     * @param offsetForTimestamp for TO_TIMESTAMP, the first offset with a timestamp at or after
     *                           {@code spec.value()}, -1 when no record is that recent; ignored otherwise
     * @return the new offset within [earliest, latest]; empty for SHIFT_BY and CURRENT when nothing
     *         is committed (there is no position to start from; Kafka's tool refuses these too)
     */
    public static OptionalLong newOffset(Spec spec, long committed, long earliest, long latest,
                                         long offsetForTimestamp) {
        if (earliest < 0 || latest < earliest) {
            throw new IllegalArgumentException("log offsets out of order: earliest=" + earliest + " latest=" + latest);
        }
        long target;
        switch (spec.strategy()) {
            case EARLIEST -> target = earliest;
            case LATEST -> target = latest;
            case TO_OFFSET -> target = spec.value();
            case TO_TIMESTAMP -> target = offsetForTimestamp < 0 ? latest : offsetForTimestamp;
            case SHIFT_BY -> {
                if (committed < 0) {
                    return OptionalLong.empty();
                }
                target = saturatedAdd(committed, spec.value());
            }
            case CURRENT -> {
                if (committed < 0) {
                    return OptionalLong.empty();
                }
                target = committed;
            }
            default -> throw new IllegalArgumentException("unknown strategy " + spec.strategy());
        }
        return OptionalLong.of(Math.max(earliest, Math.min(latest, target)));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }
}
