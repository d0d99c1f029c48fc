package io.cairn.broker.group.shard;

import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.GroupListing;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.MemberState;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetCommitResult;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.OffsetFetchResult;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.OffsetCommitKey;
import io.cairn.protocol.wire.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The group coordinator for the groups of one partition of {@code __consumer_offsets}: a
 * deterministic state machine with no I/O and no clock of its own. Every operation takes the
 * current time, changes state only by emitting records (applied at once), and returns those
 * records with its answer; the caller appends the records to the partition and hands out the
 * answer once they are durable. Loading is {@link #replay}ing the partition, then {@link #onLoaded}.
 *
 * <p>Not thread-safe: one thread (the shard's executor) owns a shard and makes every call.
 */
public final class GroupCoordinatorShard {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    private final ShardContext ctx;
    private final GroupMutations mutations;
    private final HeartbeatProcessor heartbeats;
    private final OffsetProcessor offsets;
    private final GroupAdmin admin;

    /**
     * @param partition the partition of {@code __consumer_offsets} this shard serves
     * @param config    coordinator settings
     * @param memberIds source of new member ids (random UUIDs in production; deterministic in tests)
     */
    public GroupCoordinatorShard(int partition, GroupCoordinatorConfig config, Supplier<String> memberIds) {
        this.ctx = new ShardContext(partition, config, memberIds);
        this.mutations = new GroupMutations(ctx);
        this.heartbeats = new HeartbeatProcessor(ctx, mutations);
        this.offsets = new OffsetProcessor(ctx);
        this.admin = new GroupAdmin(ctx, mutations);
    }

    public GroupCoordinatorShard(int partition, GroupCoordinatorConfig config) {
        this(partition, config, () -> UUID.randomUUID().toString());
    }

    public int partition() {
        return ctx.partition;
    }

    public CoordinatorResult<HeartbeatResult> heartbeat(HeartbeatRequest request, long nowMs) {
        RecordBuffer out = ctx.newBuffer();
        HeartbeatResult result = heartbeats.heartbeat(request, nowMs, out);
        return new CoordinatorResult<>(out.records(), result);
    }

    public CoordinatorResult<OffsetCommitResult> commitOffsets(OffsetCommitRequest request, long nowMs) {
        RecordBuffer out = ctx.newBuffer();
        OffsetCommitResult result = offsets.commit(request, nowMs, out);
        return new CoordinatorResult<>(out.records(), result);
    }

    public OffsetFetchResult fetchOffsets(OffsetFetchRequest request) {
        return offsets.fetch(request);
    }

    public List<GroupListing> listGroups(Set<GroupState> states) {
        return admin.list(states);
    }

    public GroupDescription describeGroup(String groupId) {
        return admin.describe(groupId);
    }

    public CoordinatorResult<Map<String, ErrorCode>> deleteGroups(List<String> groupIds) {
        RecordBuffer out = ctx.newBuffer();
        Map<String, ErrorCode> result = admin.delete(groupIds, out);
        return new CoordinatorResult<>(out.records(), result);
    }

    /**
     * Takes a new picture of the topics: groups whose subscribed topics changed (created, deleted,
     * more partitions, new regex matches) get a new epoch and target assignment, and the committed
     * offsets of topics that disappeared since the previous picture are deleted.
     */
    public CoordinatorResult<Void> updateTopics(TopicsImage topics, long nowMs) {
        TopicsImage previous = ctx.topics;
        ctx.topics = topics;
        Set<String> deleted = new TreeSet<>(previous.partitionCounts().keySet());
        deleted.removeAll(topics.partitionCounts().keySet());
        RecordBuffer out = ctx.newBuffer();
        for (String groupId : ctx.sortedGroupIds()) {
            ConsumerGroup group = ctx.groups.get(groupId);
            if (!deleted.isEmpty()) {
                List<TopicPartition> gone = new ArrayList<>();
                for (TopicPartition partition : group.offsets().keySet()) {
                    if (deleted.contains(partition.topic())) {
                        gone.add(partition);
                    }
                }
                for (TopicPartition partition : gone) {
                    out.append(GroupRecord.tombstone(new OffsetCommitKey(groupId, partition.topic(), partition.partition())));
                }
                if (!gone.isEmpty() && group.isEmpty() && group.offsets().isEmpty()) {
                    mutations.deleteGroup(group, out);
                    continue;
                }
            }
            mutations.refreshSubscriptionMetadata(group, out);
        }
        return new CoordinatorResult<>(out.records(), null);
    }

    /**
     * Runs the deadlines due at {@code nowMs}: members whose session expired are removed, members
     * that did not revoke within their rebalance timeout are fenced (removed).
     */
    public CoordinatorResult<Void> tick(long nowMs) {
        RecordBuffer out = ctx.newBuffer();
        for (DeadlineQueue.Expired<TimerKey, Integer> expired : ctx.timers.expire(nowMs)) {
            TimerKey key = expired.key();
            ConsumerGroup group = ctx.groups.get(key.groupId());
            ConsumerGroupMember member = group == null ? null : group.member(key.memberId());
            if (member == null) {
                continue;
            }
            if (key.kind() == TimerKey.Kind.SESSION) {
                LOG.info("group={} member={} instanceId={} removed: session timeout {} ms expired",
                        key.groupId(), key.memberId(), member.instanceId(), ctx.config.sessionTimeoutMs());
                mutations.removeMember(group, member.memberId(), nowMs, out);
            } else if (member.state() == MemberState.UNREVOKED_PARTITIONS && member.memberEpoch() == expired.value()) {
                LOG.info("group={} member={} fenced: did not revoke {} within rebalance timeout {} ms",
                        key.groupId(), key.memberId(), member.pendingRevocation(),
                        member.subscription().rebalanceTimeoutMs());
                mutations.removeMember(group, member.memberId(), nowMs, out);
            }
        }
        if (nowMs >= ctx.nextRetentionCheckMs) {
            mutations.expireOffsets(nowMs, out);
            ctx.nextRetentionCheckMs = nowMs + ctx.config.offsetsRetentionCheckIntervalMs();
        }
        return new CoordinatorResult<>(out.records(), null);
    }

    /** When {@link #tick} next has work: the earliest member deadline or offset-expiry check. */
    public long nextDeadlineMs() {
        long next = ctx.timers.nextDeadlineMs();
        return ctx.emptySinceMs.isEmpty() ? next : Math.min(next, ctx.nextRetentionCheckMs);
    }

    /** Applies one record read from the partition while loading. */
    public void replay(GroupRecord record) {
        ctx.applier.apply(record);
    }

    /**
     * Finishes loading: every loaded member gets a fresh session (and, if it owes a revocation, a
     * fresh rebalance deadline), and groups whose topics changed while the shard was not loaded
     * are reassigned.
     */
    public CoordinatorResult<Void> onLoaded(long nowMs) {
        ctx.timers.clear();
        RecordBuffer out = ctx.newBuffer();
        ctx.emptySinceMs.clear();
        for (String groupId : ctx.sortedGroupIds()) {
            ConsumerGroup group = ctx.groups.get(groupId);
            if (group.isEmpty()) {
                ctx.emptySinceMs.put(groupId, nowMs);
            }
            for (ConsumerGroupMember member : group.members().values()) {
                mutations.touchSession(group, member.memberId(), nowMs);
                if (member.state() == MemberState.UNREVOKED_PARTITIONS && member.memberEpoch() >= 0) {
                    ctx.timers.schedule(TimerKey.rebalance(groupId, member.memberId()),
                            nowMs + member.subscription().rebalanceTimeoutMs(), member.memberEpoch());
                }
            }
            mutations.refreshSubscriptionMetadata(group, out);
        }
        return new CoordinatorResult<>(out.records(), null);
    }

    /** Drops all state (before a reload). */
    public void clear() {
        ctx.groups.clear();
        ctx.timers.clear();
        ctx.emptySinceMs.clear();
    }

    public TopicsImage topics() {
        return ctx.topics;
    }

    /** The group, or null; a live view for reads on the shard's thread (metrics, tests). */
    public ConsumerGroup group(String groupId) {
        return ctx.groups.get(groupId);
    }

    /** All groups; a live view for reads on the shard's thread. */
    public Collection<ConsumerGroup> groups() {
        return Collections.unmodifiableCollection(ctx.groups.values());
    }
}
