package io.cairn.broker.group.shard;

import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.assignor.UniformStickyAssignor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything one coordinator shard owns, shared by the classes that implement its operations.
 * Confined to the shard's thread.
 */
final class ShardContext {

    final int partition;
    final GroupCoordinatorConfig config;
    final Map<String, ConsumerGroup> groups = new HashMap<>();
    final RecordApplier applier = new RecordApplier(groups);
    final SubscriptionResolver resolver = new SubscriptionResolver();
    final UniformStickyAssignor assignor = new UniformStickyAssignor();
    final DeadlineQueue<TimerKey, Integer> timers = new DeadlineQueue<>();
    final Supplier<String> memberIds;
    /** Groups without members → when they became empty (or were loaded empty); drives offset expiry. */
    final Map<String, Long> emptySinceMs = new HashMap<>();
    long nextRetentionCheckMs = Long.MIN_VALUE;
    TopicsImage topics = TopicsImage.EMPTY;

    ShardContext(int partition, GroupCoordinatorConfig config, Supplier<String> memberIds) {
        this.partition = partition;
        this.config = config;
        this.memberIds = memberIds;
    }

    RecordBuffer newBuffer() {
        return new RecordBuffer(applier);
    }

    /** Group ids in sorted order, copied, so operations may delete groups while iterating. */
    List<String> sortedGroupIds() {
        List<String> ids = new ArrayList<>(groups.keySet());
        ids.sort(null);
        return ids;
    }
}
