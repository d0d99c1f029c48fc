package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.CurrentAssignmentValue;
import io.cairn.broker.group.record.MemberMetadataValue;
import io.cairn.broker.group.record.OffsetCommitValue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The in-memory state of one consumer group: epochs, members, target assignment, which member
 * holds each partition, and committed offsets. It is changed only by {@link RecordApplier}
 * replaying {@code __consumer_offsets} records, live or at load, so live state and loaded state
 * cannot drift apart. Confined to its shard's thread.
 *
 * <p>Invariant, checked on every change: a partition is held (assigned or pending revocation) by
 * at most one member.
 */
public final class ConsumerGroup {

    private final String groupId;
    private int groupEpoch;
    private long subscriptionMetadataHash;
    private int targetAssignmentEpoch;
    private final TreeMap<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, String> memberIdByInstanceId = new HashMap<>();
    private final Map<String, Assignment> targetAssignment = new HashMap<>();
    private final Map<TopicPartition, String> holderByPartition = new HashMap<>();
    private final TreeMap<TopicPartition, OffsetCommitValue> offsets = new TreeMap<>();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public long subscriptionMetadataHash() {
        return subscriptionMetadataHash;
    }

    public int targetAssignmentEpoch() {
        return targetAssignmentEpoch;
    }

    /** Members in member-id order (unmodifiable view). */
    public NavigableMap<String, ConsumerGroupMember> members() {
        return Collections.unmodifiableNavigableMap(members);
    }

    public ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** The member using {@code instanceId}, or null. */
    public ConsumerGroupMember staticMember(String instanceId) {
        String memberId = memberIdByInstanceId.get(instanceId);
        return memberId == null ? null : members.get(memberId);
    }

    /** The member's target assignment (empty when none was computed for it). */
    public Assignment targetAssignment(String memberId) {
        return targetAssignment.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** Member id → target, for the members that have a non-empty one. */
    public Map<String, Assignment> targetAssignment() {
        return Collections.unmodifiableMap(targetAssignment);
    }

    /** The member holding the partition (assigned or pending revocation), or null. */
    public String holderOf(String topic, int partition) {
        return holderByPartition.get(new TopicPartition(topic, partition));
    }

    /** Committed offsets in partition order (unmodifiable view). */
    public NavigableMap<TopicPartition, OffsetCommitValue> offsets() {
        return Collections.unmodifiableNavigableMap(offsets);
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    /** The group state, derived from epochs and members as KIP-848 defines it. */
    public GroupState state() {
        if (members.isEmpty()) {
            return GroupState.EMPTY;
        }
        if (groupEpoch > targetAssignmentEpoch) {
            return GroupState.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (!member.isReconciledTo(targetAssignmentEpoch)) {
                return GroupState.RECONCILING;
            }
        }
        return GroupState.STABLE;
    }

    // ---- changes, called by RecordApplier only ----

    void setMetadata(int epoch, long metadataHash) {
        this.groupEpoch = epoch;
        this.subscriptionMetadataHash = metadataHash;
    }

    void setTargetAssignmentEpoch(int epoch) {
        this.targetAssignmentEpoch = epoch;
    }

    void putTarget(String memberId, Assignment target) {
        if (target.isEmpty()) {
            targetAssignment.remove(memberId);
        } else {
            targetAssignment.put(memberId, target);
        }
    }

    void removeTarget(String memberId) {
        targetAssignment.remove(memberId);
    }

    void putSubscription(String memberId, MemberMetadataValue subscription) {
        ConsumerGroupMember existing = members.get(memberId);
        if (existing != null && existing.instanceId() != null
                && memberId.equals(memberIdByInstanceId.get(existing.instanceId()))) {
            memberIdByInstanceId.remove(existing.instanceId());
        }
        ConsumerGroupMember updated = existing == null
                ? ConsumerGroupMember.joining(memberId, subscription)
                : existing.withSubscription(subscription);
        members.put(memberId, updated);
        if (subscription.instanceId() != null) {
            memberIdByInstanceId.put(subscription.instanceId(), memberId);
        }
    }

    void putAssignmentState(String memberId, CurrentAssignmentValue value) {
        ConsumerGroupMember existing = members.get(memberId);
        if (existing == null) {
            existing = ConsumerGroupMember.joining(memberId, ConsumerGroupMember.UNKNOWN_SUBSCRIPTION);
        }
        release(existing);
        ConsumerGroupMember updated = existing.withAssignmentState(value);
        claim(updated);
        members.put(memberId, updated);
    }

    void clearAssignmentState(String memberId) {
        ConsumerGroupMember existing = members.get(memberId);
        if (existing != null) {
            release(existing);
            members.put(memberId, existing.withAssignmentState(ConsumerGroupMember
                    .joining(memberId, existing.subscription()).assignmentState()));
        }
    }

    void removeMember(String memberId) {
        ConsumerGroupMember existing = members.remove(memberId);
        if (existing != null) {
            release(existing);
            if (existing.instanceId() != null && memberId.equals(memberIdByInstanceId.get(existing.instanceId()))) {
                memberIdByInstanceId.remove(existing.instanceId());
            }
        }
        targetAssignment.remove(memberId);
    }

    void putOffset(TopicPartition partition, OffsetCommitValue value) {
        offsets.put(partition, value);
    }

    void removeOffset(TopicPartition partition) {
        offsets.remove(partition);
    }

    private void release(ConsumerGroupMember member) {
        member.owned().forEach((topic, partition) ->
                holderByPartition.remove(new TopicPartition(topic, partition), member.memberId()));
    }

    private void claim(ConsumerGroupMember member) {
        member.owned().forEach((topic, partition) -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            String holder = holderByPartition.putIfAbsent(tp, member.memberId());
            if (holder != null && !holder.equals(member.memberId())) {
                throw new IllegalStateException("group " + groupId + ": partition " + tp + " given to member "
                        + member.memberId() + " while member " + holder + " still holds it");
            }
        });
    }
}
