package io.cairn.broker.group.shard;

import io.cairn.broker.group.CommittedOffset;
import io.cairn.broker.group.GroupError;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetCommitResult;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.OffsetFetchResult;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.GroupMetadataKey;
import io.cairn.broker.group.record.GroupMetadataValue;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.OffsetCommitKey;
import io.cairn.broker.group.record.OffsetCommitValue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OffsetCommit and OffsetFetch.
 *
 * <p>Commit rules: a member commits with its current epoch, or with its previous epoch for the
 * partitions it still holds (its heartbeat answer moving the epoch may be in flight); an older
 * epoch is STALE_MEMBER_EPOCH, a newer one FENCED_MEMBER_EPOCH, as in Kafka. A commit with
 * {@code memberEpoch < 0} comes from outside group management (admin tools, offset reset) and is
 * refused with NON_EMPTY_GROUP while the group has members. Confined to the shard's thread.
 */
final class OffsetProcessor {

    private final ShardContext ctx;

    OffsetProcessor(ShardContext ctx) {
        this.ctx = ctx;
    }

    OffsetCommitResult commit(OffsetCommitRequest request, long nowMs, RecordBuffer out) {
        String groupId = request.groupId();
        ConsumerGroup group = ctx.groups.get(groupId);
        GroupError groupError;
        ConsumerGroupMember member = null;
        if (groupId.isEmpty()) {
            groupError = GroupError.INVALID_GROUP_ID;
        } else if (request.memberEpoch() < 0) {
            groupError = group != null && !group.isEmpty() ? GroupError.NON_EMPTY_GROUP : GroupError.NONE;
        } else if (group == null) {
            groupError = GroupError.GROUP_ID_NOT_FOUND;
        } else {
            member = group.member(request.memberId());
            if (member == null) {
                groupError = GroupError.UNKNOWN_MEMBER_ID;
            } else if (request.instanceId() != null && !request.instanceId().equals(member.instanceId())) {
                groupError = GroupError.FENCED_INSTANCE_ID;
            } else if (request.memberEpoch() > member.memberEpoch()) {
                groupError = GroupError.FENCED_MEMBER_EPOCH;
            } else if (request.memberEpoch() < member.memberEpoch()
                    && request.memberEpoch() != member.previousMemberEpoch()) {
                groupError = GroupError.STALE_MEMBER_EPOCH;
            } else {
                groupError = GroupError.NONE;
            }
        }

        Map<TopicPartition, GroupError> errors = new LinkedHashMap<>();
        Map<TopicPartition, PartitionOffset> accepted = new LinkedHashMap<>();
        for (PartitionOffset offset : request.offsets()) {
            TopicPartition partition = offset.partition();
            GroupError error = groupError;
            if (error == GroupError.NONE) {
                error = checkPartition(offset, member, request.memberEpoch());
            }
            errors.put(partition, error);
            if (error == GroupError.NONE) {
                accepted.put(partition, offset);
            }
        }
        if (!accepted.isEmpty()) {
            if (group == null) {
                out.append(new GroupRecord(new GroupMetadataKey(groupId), new GroupMetadataValue(0, 0L)));
            }
            accepted.forEach((partition, offset) -> out.append(new GroupRecord(
                    new OffsetCommitKey(groupId, partition.topic(), partition.partition()),
                    new OffsetCommitValue(offset.offset(), offset.leaderEpoch(), offset.metadata(), nowMs))));
        }
        return new OffsetCommitResult(errors);
    }

    private GroupError checkPartition(PartitionOffset offset, ConsumerGroupMember member, int requestEpoch) {
        TopicPartition partition = offset.partition();
        if (!ctx.topics.contains(partition.topic(), partition.partition())) {
            return GroupError.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (offset.offset() < 0) {
            return GroupError.INVALID_REQUEST;
        }
        if (offset.metadata().length() > ctx.config.offsetMetadataMaxBytes()
                || offset.metadata().getBytes(StandardCharsets.UTF_8).length > ctx.config.offsetMetadataMaxBytes()) {
            return GroupError.OFFSET_METADATA_TOO_LARGE;
        }
        if (member != null && requestEpoch != member.memberEpoch()
                && !member.owned().contains(partition)) {
            // Committing with the previous epoch is allowed only for partitions the member still holds.
            return GroupError.STALE_MEMBER_EPOCH;
        }
        return GroupError.NONE;
    }

    OffsetFetchResult fetch(OffsetFetchRequest request) {
        if (request.groupId().isEmpty()) {
            return OffsetFetchResult.error(GroupError.INVALID_GROUP_ID);
        }
        ConsumerGroup group = ctx.groups.get(request.groupId());
        if (!request.memberId().isEmpty()) {
            if (group == null) {
                return OffsetFetchResult.error(GroupError.GROUP_ID_NOT_FOUND);
            }
            ConsumerGroupMember member = group.member(request.memberId());
            if (member == null) {
                return OffsetFetchResult.error(GroupError.UNKNOWN_MEMBER_ID);
            }
            if (request.memberEpoch() != member.memberEpoch()) {
                return OffsetFetchResult.error(request.memberEpoch() > member.memberEpoch()
                        ? GroupError.FENCED_MEMBER_EPOCH : GroupError.STALE_MEMBER_EPOCH);
            }
        }
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        if (request.partitions() == null) {
            if (group != null) {
                group.offsets().forEach((partition, value) -> offsets.put(partition, toCommitted(value)));
            }
        } else {
            for (TopicPartition partition : request.partitions()) {
                OffsetCommitValue value = group == null ? null : group.offsets().get(partition);
                offsets.put(partition, value == null ? CommittedOffset.NONE : toCommitted(value));
            }
        }
        return new OffsetFetchResult(GroupError.NONE, offsets);
    }

    static CommittedOffset toCommitted(OffsetCommitValue value) {
        return new CommittedOffset(value.offset(), value.leaderEpoch(), value.metadata(), value.commitTimestampMs());
    }
}
