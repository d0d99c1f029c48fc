package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of one member's target assignment: one per (group, member). */
public record TargetAssignmentMemberKey(String groupId, String memberId) implements GroupRecordKey {
    public TargetAssignmentMemberKey {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
    }

    @Override
    public short type() {
        return RecordTypes.TARGET_ASSIGNMENT_MEMBER;
    }
}
