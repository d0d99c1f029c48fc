package io.cairn.cli.groups;

import java.util.OptionalLong;

/**
 * Computes the new committed offset of one partition for a {@link ResetTarget}, from what the
 * broker reports about it. Like Kafka's tool, a target outside the partition's offsets is clamped
 * to [log start, log end]: a reset never points a group at offsets that do not exist. Stateless.
 */
public final class OffsetResetPlan {
    private OffsetResetPlan() {
    }

    /**
     * What is known about one partition.
     *
     * @param committed   the group's committed offset, empty when it has none
     * @param logStart    the partition's log start offset
     * @param logEnd      the partition's log end offset
     * @param offsetAtTime for {@link ResetTarget.ToDatetime}: the first offset at or after the time,
     *                    empty when no record is that recent (or the target is another kind)
     */
    public record PartitionOffsets(OptionalLong committed, long logStart, long logEnd, OptionalLong offsetAtTime) {
        public PartitionOffsets {
            if (logStart < 0 || logEnd < logStart) {
                throw new IllegalArgumentException("log offsets out of order: start=" + logStart + " end=" + logEnd);
            }
        }
    }

    /** The offset to commit for {@code target}. */
    public static long newOffset(ResetTarget target, PartitionOffsets p) {
        long wanted;
        if (target instanceof ResetTarget.Earliest) {
            wanted = p.logStart();
        } else if (target instanceof ResetTarget.Latest) {
            wanted = p.logEnd();
        } else if (target instanceof ResetTarget.ToOffset to) {
            wanted = to.offset();
        } else if (target instanceof ResetTarget.ToDatetime) {
            wanted = p.offsetAtTime().orElse(p.logEnd());
        } else if (target instanceof ResetTarget.ShiftBy shift) {
            // Without a committed offset there is nothing to shift from: start from the log end, as
            // the consumer's default auto.offset.reset=latest would.
            long from = p.committed().orElse(p.logEnd());
            wanted = saturatingAdd(from, shift.delta());
        } else {
            throw new IllegalArgumentException("unknown reset target " + target);
        }
        return Math.max(p.logStart(), Math.min(p.logEnd(), wanted));
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
