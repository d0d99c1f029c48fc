package io.cairn.broker.group.shard;

import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.CurrentAssignmentKey;
import io.cairn.broker.group.record.CurrentAssignmentValue;
import io.cairn.broker.group.record.GroupMetadataKey;
import io.cairn.broker.group.record.GroupMetadataValue;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.GroupRecordKey;
import io.cairn.broker.group.record.MemberMetadataKey;
import io.cairn.broker.group.record.MemberMetadataValue;
import io.cairn.broker.group.record.OffsetCommitKey;
import io.cairn.broker.group.record.OffsetCommitValue;
import io.cairn.broker.group.record.TargetAssignmentMemberKey;
import io.cairn.broker.group.record.TargetAssignmentMemberValue;
import io.cairn.broker.group.record.TargetAssignmentMetadataKey;
import io.cairn.broker.group.record.TargetAssignmentMetadataValue;

import java.util.Map;

/**
 * Applies {@code __consumer_offsets} records to the groups of one shard. The only way group state
 * changes: live operations emit records and apply them through here, and loading replays the
 * partition through here, so a loaded shard equals the shard that wrote the records.
 *
 * <p>Replay tolerates what log compaction does to order: only the latest record of each key
 * survives, so a member's assignment record may come before its subscription record, and any
 * record may come before its group's metadata record; groups and members are created on first
 * mention. Confined to its shard's thread.
 */
final class RecordApplier {

    private final Map<String, ConsumerGroup> groups;

    RecordApplier(Map<String, ConsumerGroup> groups) {
        this.groups = groups;
    }

    void apply(GroupRecord record) {
        GroupRecordKey key = record.key();
        String groupId = key.groupId();
        if (key instanceof OffsetCommitKey k) {
            TopicPartition partition = new TopicPartition(k.topic(), k.partition());
            if (record.isTombstone()) {
                ConsumerGroup group = groups.get(groupId);
                if (group != null) {
                    group.removeOffset(partition);
                }
            } else {
                group(groupId).putOffset(partition, (OffsetCommitValue) record.value());
            }
        } else if (key instanceof GroupMetadataKey) {
            if (record.isTombstone()) {
                groups.remove(groupId);
            } else {
                GroupMetadataValue value = (GroupMetadataValue) record.value();
                group(groupId).setMetadata(value.epoch(), value.subscriptionMetadataHash());
            }
        } else if (key instanceof MemberMetadataKey k) {
            if (record.isTombstone()) {
                ConsumerGroup group = groups.get(groupId);
                if (group != null) {
                    group.removeMember(k.memberId());
                }
            } else {
                group(groupId).putSubscription(k.memberId(), (MemberMetadataValue) record.value());
            }
        } else if (key instanceof TargetAssignmentMetadataKey) {
            if (record.isTombstone()) {
                ConsumerGroup group = groups.get(groupId);
                if (group != null) {
                    group.setTargetAssignmentEpoch(0);
                }
            } else {
                group(groupId).setTargetAssignmentEpoch(((TargetAssignmentMetadataValue) record.value()).assignmentEpoch());
            }
        } else if (key instanceof TargetAssignmentMemberKey k) {
            if (record.isTombstone()) {
                ConsumerGroup group = groups.get(groupId);
                if (group != null) {
                    group.removeTarget(k.memberId());
                }
            } else {
                group(groupId).putTarget(k.memberId(), ((TargetAssignmentMemberValue) record.value()).partitions());
            }
        } else if (key instanceof CurrentAssignmentKey k) {
            if (record.isTombstone()) {
                ConsumerGroup group = groups.get(groupId);
                if (group != null) {
                    group.clearAssignmentState(k.memberId());
                }
            } else {
                group(groupId).putAssignmentState(k.memberId(), (CurrentAssignmentValue) record.value());
            }
        }
    }

    private ConsumerGroup group(String groupId) {
        return groups.computeIfAbsent(groupId, ConsumerGroup::new);
    }
}
