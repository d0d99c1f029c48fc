package io.cairn.broker.group.record;

/**
 * The key of a record in {@code __consumer_offsets}. Every key names its group, so the partition
 * of the offsets topic it lives in is fixed by the group id, and every key is distinct per piece
 * of state so that log compaction keeps exactly the latest value of each.
 */
public sealed interface GroupRecordKey
        permits OffsetCommitKey, GroupMetadataKey, MemberMetadataKey, TargetAssignmentMetadataKey,
                TargetAssignmentMemberKey, CurrentAssignmentKey {

    /** The group the record belongs to. */
    String groupId();

    /** The record type, written as the first i16 of the serialized key. */
    short type();
}
