package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.CurrentAssignmentKey;
import io.cairn.broker.group.record.CurrentAssignmentValue;
import io.cairn.broker.group.record.GroupMetadataKey;
import io.cairn.broker.group.record.GroupMetadataValue;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.MemberMetadataKey;
import io.cairn.broker.group.record.MemberMetadataValue;
import io.cairn.broker.group.record.OffsetCommitKey;
import io.cairn.broker.group.record.TargetAssignmentMemberKey;
import io.cairn.broker.group.record.TargetAssignmentMemberValue;
import io.cairn.broker.group.record.TargetAssignmentMetadataKey;
import io.cairn.broker.group.record.TargetAssignmentMetadataValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state changes several operations share — epoch bumps, target assignment, reconciliation,
 * member removal, group deletion — each expressed as records appended to a {@link RecordBuffer}.
 * Confined to the shard's thread.
 */
final class GroupMutations {

    private final ShardContext ctx;

    GroupMutations(ShardContext ctx) {
        this.ctx = ctx;
    }

    /** Advances the group epoch, recording the topic metadata it now reflects. */
    void bumpGroupEpoch(ConsumerGroup group, RecordBuffer out) {
        long hash = ctx.resolver.metadataHash(group, ctx.topics);
        out.append(new GroupRecord(new GroupMetadataKey(group.groupId()),
                new GroupMetadataValue(group.groupEpoch() + 1, hash)));
    }

    /** Bumps the epoch and recomputes the target when the subscribed topics' metadata changed. */
    void refreshSubscriptionMetadata(ConsumerGroup group, RecordBuffer out) {
        if (group.isEmpty()) {
            return;
        }
        if (ctx.resolver.metadataHash(group, ctx.topics) != group.subscriptionMetadataHash()) {
            bumpGroupEpoch(group, out);
            updateTargetAssignment(group, out);
        }
    }

    /** Computes the target assignment for the current group epoch and records what changed. */
    void updateTargetAssignment(ConsumerGroup group, RecordBuffer out) {
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            subscriptions.put(member.memberId(), ctx.resolver.resolve(member.subscription(), ctx.topics));
        }
        Map<String, Assignment> next = ctx.assignor.assign(subscriptions, ctx.topics.partitionCounts(),
                group.targetAssignment());
        for (String memberId : subscriptions.keySet()) {
            Assignment target = next.get(memberId);
            if (!target.equals(group.targetAssignment(memberId))) {
                out.append(new GroupRecord(new TargetAssignmentMemberKey(group.groupId(), memberId),
                        new TargetAssignmentMemberValue(target)));
            }
        }
        out.append(new GroupRecord(new TargetAssignmentMetadataKey(group.groupId()),
                new TargetAssignmentMetadataValue(group.groupEpoch())));
    }

    /**
     * Reconciles one member toward its target, records the change and arms or disarms its
     * revocation deadline.
     *
     * @return the member after reconciliation
     */
    ConsumerGroupMember reconcile(ConsumerGroup group, ConsumerGroupMember member, Assignment reported,
                                  long nowMs, RecordBuffer out) {
        ConsumerGroupMember updated = MemberReconciler.reconcile(member, group.targetAssignmentEpoch(),
                group.targetAssignment(member.memberId()), reported, group::holderOf);
        if (updated != member) {
            out.append(new GroupRecord(new CurrentAssignmentKey(group.groupId(), member.memberId()),
                    updated.assignmentState()));
        }
        TimerKey rebalance = TimerKey.rebalance(group.groupId(), member.memberId());
        if (updated.state() == MemberState.UNREVOKED_PARTITIONS) {
            if (member.state() != MemberState.UNREVOKED_PARTITIONS || !ctx.timers.contains(rebalance)) {
                ctx.timers.schedule(rebalance, nowMs + updated.subscription().rebalanceTimeoutMs(),
                        updated.memberEpoch());
            }
        } else {
            ctx.timers.cancel(rebalance);
        }
        return group.member(member.memberId());
    }

    /** (Re)starts the member's session: it is removed unless heard from within the session timeout. */
    void touchSession(ConsumerGroup group, String memberId, long nowMs) {
        ctx.timers.schedule(TimerKey.session(group.groupId(), memberId), nowMs + ctx.config.sessionTimeoutMs(), 0);
    }

    /**
     * Records the member's removal (its partitions become free), then reassigns the group, or
     * deletes it when it is left with neither members nor offsets.
     */
    void removeMember(ConsumerGroup group, String memberId, long nowMs, RecordBuffer out) {
        writeMemberTombstones(group.groupId(), memberId, out);
        if (group.isEmpty() && group.offsets().isEmpty()) {
            deleteGroup(group, out);
            return;
        }
        bumpGroupEpoch(group, out);
        updateTargetAssignment(group, out);
        if (group.isEmpty()) {
            ctx.emptySinceMs.put(group.groupId(), nowMs);
        }
    }

    /**
     * Replaces a static member that left temporarily by its new incarnation under {@code newMemberId}:
     * the new member takes over the old one's target and owned partitions, at epoch 0, so its first
     * reconciliation hands it the same partitions without a reshuffle of the group.
     */
    void replaceStaticMember(ConsumerGroup group, ConsumerGroupMember old, String newMemberId,
                             MemberMetadataValue subscription, RecordBuffer out) {
        Assignment target = group.targetAssignment(old.memberId());
        writeMemberTombstones(group.groupId(), old.memberId(), out);
        out.append(new GroupRecord(new MemberMetadataKey(group.groupId(), newMemberId), subscription));
        if (!target.isEmpty()) {
            out.append(new GroupRecord(new TargetAssignmentMemberKey(group.groupId(), newMemberId),
                    new TargetAssignmentMemberValue(target)));
        }
        out.append(new GroupRecord(new CurrentAssignmentKey(group.groupId(), newMemberId),
                new CurrentAssignmentValue(0, 0, old.state(), old.assigned(), old.pendingRevocation())));
    }

    private void writeMemberTombstones(String groupId, String memberId, RecordBuffer out) {
        out.append(GroupRecord.tombstone(new CurrentAssignmentKey(groupId, memberId)));
        out.append(GroupRecord.tombstone(new TargetAssignmentMemberKey(groupId, memberId)));
        out.append(GroupRecord.tombstone(new MemberMetadataKey(groupId, memberId)));
        ctx.timers.cancel(TimerKey.session(groupId, memberId));
        ctx.timers.cancel(TimerKey.rebalance(groupId, memberId));
    }

    /** Records the deletion of a group without members: its offsets, then its metadata. */
    void deleteGroup(ConsumerGroup group, RecordBuffer out) {
        if (!group.isEmpty()) {
            throw new IllegalStateException("group " + group.groupId() + " deleted with "
                    + group.members().size() + " members");
        }
        String groupId = group.groupId();
        for (TopicPartition partition : new ArrayList<>(group.offsets().keySet())) {
            out.append(GroupRecord.tombstone(new OffsetCommitKey(groupId, partition.topic(), partition.partition())));
        }
        out.append(GroupRecord.tombstone(new TargetAssignmentMetadataKey(groupId)));
        out.append(GroupRecord.tombstone(new GroupMetadataKey(groupId)));
        ctx.emptySinceMs.remove(groupId);
    }

    /**
     * Removes the committed offsets of empty groups older than offsets.retention.ms (counted from
     * when the group became empty or the offset was committed, whichever is later), and the groups
     * left with nothing.
     */
    void expireOffsets(long nowMs, RecordBuffer out) {
        long retentionMs = ctx.config.offsetsRetentionMs();
        for (String groupId : new TreeSet<>(ctx.emptySinceMs.keySet())) {
            ConsumerGroup group = ctx.groups.get(groupId);
            if (group == null || !group.isEmpty()) {
                ctx.emptySinceMs.remove(groupId);
                continue;
            }
            long emptySince = ctx.emptySinceMs.get(groupId);
            List<TopicPartition> expired = new ArrayList<>();
            group.offsets().forEach((partition, value) -> {
                if (nowMs - Math.max(emptySince, value.commitTimestampMs()) >= retentionMs) {
                    expired.add(partition);
                }
            });
            for (TopicPartition partition : expired) {
                out.append(GroupRecord.tombstone(new OffsetCommitKey(groupId, partition.topic(), partition.partition())));
            }
            if (group.offsets().isEmpty()) {
                deleteGroup(group, out);
            }
        }
    }
}
