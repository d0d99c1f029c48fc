package io.cairn.broker.group.record;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;

import java.util.Objects;

/**
 * A member's reconciliation state: its epoch, the epoch before it, where it stands, the partitions
 * it owns and the partitions it has been asked to give up but has not yet reported gone.
 */
public record CurrentAssignmentValue(int memberEpoch, int previousMemberEpoch, MemberState state,
                                     Assignment assigned, Assignment pendingRevocation) implements GroupRecordValue {
    public CurrentAssignmentValue {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(assigned, "assigned");
        Objects.requireNonNull(pendingRevocation, "pendingRevocation");
    }
}
