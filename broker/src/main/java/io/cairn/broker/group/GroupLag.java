package io.cairn.broker.group;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Consumer lag, computed by whoever knows the log end offsets (the coordinator does not): lag =
 * log end offset − committed offset, never negative. Pure functions; thread-safe.
 */
public final class GroupLag {

    private GroupLag() {
    }

    /** The lag of one partition, or -1 when nothing is committed or the end offset is unknown (< 0). */
    public static long lag(long committedOffset, long logEndOffset) {
        if (committedOffset < 0 || logEndOffset < 0) {
            return -1;
        }
        return Math.max(0, logEndOffset - committedOffset);
    }

    /**
     * The lag of every committed partition of a group, in partition order.
     *
     * @param committed    committed offsets, e.g. {@link GroupDescription#offsets()}
     * @param logEndOffset the log end offset of a partition, or a negative value when unknown
     *                     (such partitions are left out)
     */
    public static Map<TopicPartition, Long> lags(Map<TopicPartition, CommittedOffset> committed,
                                                 ToLongFunction<TopicPartition> logEndOffset) {
        Map<TopicPartition, Long> out = new TreeMap<>();
        committed.forEach((partition, offset) -> {
            long lag = lag(offset.offset(), logEndOffset.applyAsLong(partition));
            if (lag >= 0) {
                out.put(partition, lag);
            }
        });
        return out;
    }
}
