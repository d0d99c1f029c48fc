package io.cairn.broker.group.record;

/** The value of a record in {@code __consumer_offsets}; a tombstone has no value (null). */
public sealed interface GroupRecordValue
        permits OffsetCommitValue, GroupMetadataValue, MemberMetadataValue, TargetAssignmentMetadataValue,
                TargetAssignmentMemberValue, CurrentAssignmentValue {
}
