package io.cairn.broker.group.shard;

import io.cairn.broker.group.CommittedOffset;
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
import io.cairn.protocol.wire.ErrorCode;

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
        ErrorCode groupError;
        ConsumerGroupMember member = null;
        if (groupId.isEmpty()) {
            groupError = ErrorCode.INVALID_GROUP_ID;
        } else if (request.memberEpoch() < 0) {
            groupError = group != null && !group.isEmpty() ? ErrorCode.NON_EMPTY_GROUP : ErrorCode.NONE;
        } else if (group == null) {
            groupError = ErrorCode.GROUP_ID_NOT_FOUND;
        } else {
            member = group.member(request.memberId());
            if (member == null) {
                groupError = ErrorCode.UNKNOWN_MEMBER_ID;
            } else if (request.instanceId() != null && !request.instanceId().equals(member.instanceId())) {
                groupError = ErrorCode.UNKNOWN_MEMBER_ID;
            } else if (request.memberEpoch() > member.memberEpoch()) {
                groupError = ErrorCode.FENCED_MEMBER_EPOCH;
            } else if (request.memberEpoch() < member.memberEpoch()
                    && request.memberEpoch() != member.previousMemberEpoch()) {
                groupError = ErrorCode.STALE_MEMBER_EPOCH;
            } else {
                groupError = ErrorCode.NONE;
            }
        }

        Map<TopicPartition, ErrorCode> errors = new LinkedHashMap<>();
        Map<TopicPartition, PartitionOffset> accepted = new LinkedHashMap<>();
        for (PartitionOffset offset : request.offsets()) {
            TopicPartition partition = offset.partition();
            ErrorCode error = groupError;
            if (error == ErrorCode.NONE) {
                error = checkPartition(offset, member, request.memberEpoch());
            }
            errors.put(partition, error);
            if (error == ErrorCode.NONE) {
                accepted.put(partition, offset);
            }
        }
        if (!accepted.isEmpty()) {
            if (group == null) {
                out.append(new GroupRecord(new GroupMetadataKey(groupId), new GroupMetadataValue(0, 0L)));
                ctx.emptySinceMs.put(groupId, nowMs);
            }
            accepted.forEach((partition, offset) -> out.append(new GroupRecord(
                    new OffsetCommitKey(groupId, partition.topic(), partition.partition()),
                    new OffsetCommitValue(offset.offset(), offset.leaderEpoch(), offset.metadata(), nowMs))));
        }
        return new OffsetCommitResult(errors);
    }

    private ErrorCode checkPartition(PartitionOffset offset, ConsumerGroupMember member, int requestEpoch) {
        TopicPartition partition = offset.partition();
        if (!ctx.topics.contains(partition.topic(), partition.partition())) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (offset.offset() < 0) {
            return ErrorCode.INVALID_REQUEST;
        }
        if (offset.metadata().length() > ctx.config.offsetMetadataMaxBytes()
                || offset.metadata().getBytes(StandardCharsets.UTF_8).length > ctx.config.offsetMetadataMaxBytes()) {
            return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
        }
        if (member != null && requestEpoch != member.memberEpoch()
                && !member.owned().contains(partition)) {
            // Committing with the previous epoch is allowed only for partitions the member still holds.
            return ErrorCode.STALE_MEMBER_EPOCH;
        }
        return ErrorCode.NONE;
    }

    OffsetFetchResult fetch(OffsetFetchRequest request) {
        if (request.groupId().isEmpty()) {
            return OffsetFetchResult.error(ErrorCode.INVALID_GROUP_ID);
        }
        ConsumerGroup group = ctx.groups.get(request.groupId());
        if (!request.memberId().isEmpty()) {
            if (group == null) {
                return OffsetFetchResult.error(ErrorCode.GROUP_ID_NOT_FOUND);
            }
            ConsumerGroupMember member = group.member(request.memberId());
            if (member == null) {
                return OffsetFetchResult.error(ErrorCode.UNKNOWN_MEMBER_ID);
            }
            if (request.memberEpoch() != member.memberEpoch()) {
                return OffsetFetchResult.error(request.memberEpoch() > member.memberEpoch()
                        ? ErrorCode.FENCED_MEMBER_EPOCH : ErrorCode.STALE_MEMBER_EPOCH);
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
        return new OffsetFetchResult(ErrorCode.NONE, offsets);
    }

    static CommittedOffset toCommitted(OffsetCommitValue value) {
        return new CommittedOffset(value.offset(), value.leaderEpoch(), value.metadata(), value.commitTimestampMs());
    }
}
