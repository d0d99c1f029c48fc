package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of one member's current assignment and epoch: one per (group, member). */
public record CurrentAssignmentKey(String groupId, String memberId) implements GroupRecordKey {
    public CurrentAssignmentKey {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
    }

    @Override
    public short type() {
        return RecordTypes.CURRENT_ASSIGNMENT;
    }
}
