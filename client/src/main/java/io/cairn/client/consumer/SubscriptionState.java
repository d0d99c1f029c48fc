package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the consumer reads: the assigned partitions and, per partition, its position (the offset of the
 * next record to return), whether it is paused, and whether its position must be looked up
 * (earliest/latest) before fetching. Manual assignment sets the partitions directly; group
 * membership will set them through {@link #assignFromGroup} as the coordinator hands them out.
 *
 * <p>Owned by the consumer's thread; not thread-safe, except {@link #changeCount}, which the network
 * thread reads to tell whether the set of fetchable partitions or a position moved since a fetch was sent.
 */
final class SubscriptionState {
    /** How the assignment was made; mixing the two is an error, as in Kafka. */
    enum Mode { NONE, USER_ASSIGNED, GROUP }

    /** Per-partition read state. */
    static final class PartitionState {
        Long position;
        boolean paused;
        OffsetResetStrategy pendingReset;
        long highWatermark = -1;
        long logStartOffset = -1;
        /** Bumped on every seek, so fetches started for an older position are dropped. */
        int positionEpoch;

        boolean hasPosition() {
            return position != null && pendingReset == null;
        }
    }

    private final OffsetResetStrategy defaultReset;
    private final Map<TopicPartition, PartitionState> assignment = new LinkedHashMap<>();
    private Mode mode = Mode.NONE;
    /**
     * Bumped by every change other than {@link #advance}: assignment, seek, reset, pause, resume.
     * Written by the consumer thread only (so the increment needs no atomicity), read by the
     * network thread.
     */
    private volatile int changeCount;

    SubscriptionState(OffsetResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    /** Replaces the assignment with {@code partitions}; kept partitions keep their positions. */
    void assignFromUser(Collection<TopicPartition> partitions) {
        changed();
        if (mode == Mode.GROUP) {
            throw new IllegalStateException("assign() cannot be mixed with subscribe(); call unsubscribe() first");
        }
        replaceAssignment(partitions);
        mode = partitions.isEmpty() ? Mode.NONE : Mode.USER_ASSIGNED;
    }

    /** Replaces the assignment with the partitions the group coordinator gave this member. */
    void assignFromGroup(Collection<TopicPartition> partitions) {
        changed();
        if (mode == Mode.USER_ASSIGNED) {
            throw new IllegalStateException("subscribe() cannot be mixed with assign(); call unsubscribe() first");
        }
        replaceAssignment(partitions);
        mode = Mode.GROUP;
    }

    /** Drops every partition. */
    void unsubscribe() {
        changed();
        assignment.clear();
        mode = Mode.NONE;
    }

    Mode mode() {
        return mode;
    }

    private void replaceAssignment(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionState old = assignment.get(tp);
            next.put(tp, old != null ? old : new PartitionState());
        }
        assignment.clear();
        assignment.putAll(next);
    }

    /** The assigned partitions, in assignment order. */
    Set<TopicPartition> assignedPartitions() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(assignment.keySet()));
    }

    boolean isAssigned(TopicPartition tp) {
        return assignment.containsKey(tp);
    }

    /** Sets the position of an assigned partition, cancelling any pending reset. */
    void seek(TopicPartition tp, long offset) {
        changed();
        PartitionState s = state(tp);
        s.position = offset;
        s.pendingReset = null;
        s.positionEpoch++;
    }

    /** Moves the position forward after records up to {@code nextOffset - 1} were returned. */
    void advance(TopicPartition tp, long nextOffset) {
        PartitionState s = state(tp);
        s.position = nextOffset;
    }

    /** Marks the partition for a position lookup with {@code strategy} before its next fetch. */
    void requestReset(TopicPartition tp, OffsetResetStrategy strategy) {
        changed();
        PartitionState s = state(tp);
        s.pendingReset = strategy;
        s.positionEpoch++;
    }

    /** Partitions with neither a position nor a pending reset get the default strategy. */
    void resetMissingPositions() {
        assignment.values().forEach(s -> {
            if (s.position == null && s.pendingReset == null) {
                s.pendingReset = defaultReset;
                changed();
            }
        });
    }

    /** Partitions with neither a position nor a pending lookup: they need a committed offset or the default. */
    Set<TopicPartition> partitionsWithoutPosition() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.position == null && s.pendingReset == null) {
                out.add(tp);
            }
        });
        return out;
    }

    /** Partitions whose position must be looked up, with the strategy each asks for. */
    Map<TopicPartition, OffsetResetStrategy> partitionsNeedingReset() {
        Map<TopicPartition, OffsetResetStrategy> out = new LinkedHashMap<>();
        assignment.forEach((tp, s) -> {
            if (s.pendingReset != null) {
                out.put(tp, s.pendingReset);
            }
        });
        return out;
    }

    /** Completes a lookup started for {@code epoch}; ignored if the partition was sought since. */
    void completeReset(TopicPartition tp, long offset, int epoch) {
        PartitionState s = assignment.get(tp);
        if (s != null && s.positionEpoch == epoch && s.pendingReset != null) {
            changed();
            s.position = offset;
            s.pendingReset = null;
        }
    }

    /** The position of an assigned partition, or null when it must still be looked up. */
    Long position(TopicPartition tp) {
        PartitionState s = state(tp);
        return s.hasPosition() ? s.position : null;
    }

    int positionEpoch(TopicPartition tp) {
        return state(tp).positionEpoch;
    }

    /** Whether {@code tp} is assigned, unpaused and positioned: it may be fetched. */
    boolean isFetchable(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        return s != null && !s.paused && s.hasPosition();
    }

    /** Partitions that may be fetched now, in assignment order. */
    List<TopicPartition> fetchablePartitions() {
        List<TopicPartition> out = new ArrayList<>();
        assignment.forEach((tp, s) -> {
            if (!s.paused && s.hasPosition()) {
                out.add(tp);
            }
        });
        return out;
    }

    void pause(TopicPartition tp) {
        changed();
        state(tp).paused = true;
    }

    void resume(TopicPartition tp) {
        changed();
        state(tp).paused = false;
    }

    boolean isPaused(TopicPartition tp) {
        return state(tp).paused;
    }

    /** The paused partitions. */
    Set<TopicPartition> pausedPartitions() {
        Set<TopicPartition> out = new LinkedHashSet<>();
        assignment.forEach((tp, s) -> {
            if (s.paused) {
                out.add(tp);
            }
        });
        return out;
    }

    /** Records the broker's high watermark and log start offset seen in a fetch. */
    void updateWatermarks(TopicPartition tp, long highWatermark, long logStartOffset) {
        PartitionState s = assignment.get(tp);
        if (s != null) {
            s.highWatermark = highWatermark;
            s.logStartOffset = logStartOffset;
        }
    }

    /** Records behind the high watermark, or null when unknown. */
    Long lag(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null || s.highWatermark < 0 || !s.hasPosition()) {
            return null;
        }
        return Math.max(0, s.highWatermark - s.position);
    }

    OffsetResetStrategy defaultReset() {
        return defaultReset;
    }

    /**
     * A count that changes whenever the fetchable partitions or a position change other than by
     * {@link #advance}; any thread may read it. A fetch sent at one count may be followed by the
     * next one from the network thread only while the count is the same.
     */
    int changeCount() {
        return changeCount;
    }

    private void changed() {
        changeCount = changeCount + 1;
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState s = assignment.get(tp);
        if (s == null) {
            throw new IllegalStateException("partition " + tp + " is not assigned to this consumer");
        }
        return s;
    }
}
