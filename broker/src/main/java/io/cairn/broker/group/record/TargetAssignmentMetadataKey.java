package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of the epoch of a group's target assignment: one per group. */
public record TargetAssignmentMetadataKey(String groupId) implements GroupRecordKey {
    public TargetAssignmentMetadataKey {
        Objects.requireNonNull(groupId, "groupId");
    }

    @Override
    public short type() {
        return RecordTypes.TARGET_ASSIGNMENT_METADATA;
    }
}
