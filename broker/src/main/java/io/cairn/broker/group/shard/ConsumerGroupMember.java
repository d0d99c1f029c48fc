package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;
import io.cairn.broker.group.record.CurrentAssignmentValue;
import io.cairn.broker.group.record.MemberMetadataValue;

import java.util.List;
import java.util.Objects;

/**
 * One member of a consumer group as the coordinator knows it: its subscription and its
 * reconciliation state. Immutable; the group replaces it on every change.
 *
 * @param memberId            the member id
 * @param subscription        what the member told about itself
 * @param memberEpoch         the epoch of the assignment it owns; -2 while a static member is away
 * @param previousMemberEpoch the epoch before the last change of {@code memberEpoch}
 * @param state               where it stands in reconciliation
 * @param assigned            the partitions it owns
 * @param pendingRevocation   partitions it must give up and has not yet reported gone; still owned
 */
public record ConsumerGroupMember(String memberId, MemberMetadataValue subscription, int memberEpoch,
                                  int previousMemberEpoch, MemberState state, Assignment assigned,
                                  Assignment pendingRevocation) {

    /** Subscription of a member known only from its assignment records so far (replay in progress). */
    static final MemberMetadataValue UNKNOWN_SUBSCRIPTION =
            new MemberMetadataValue(null, null, "", "", List.of(), null, 0, null);

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(assigned, "assigned");
        Objects.requireNonNull(pendingRevocation, "pendingRevocation");
    }

    /** A member that has just joined: epoch 0, owning nothing. */
    static ConsumerGroupMember joining(String memberId, MemberMetadataValue subscription) {
        return new ConsumerGroupMember(memberId, subscription, 0, 0, MemberState.STABLE,
                Assignment.EMPTY, Assignment.EMPTY);
    }

    ConsumerGroupMember withSubscription(MemberMetadataValue newSubscription) {
        return new ConsumerGroupMember(memberId, newSubscription, memberEpoch, previousMemberEpoch, state,
                assigned, pendingRevocation);
    }

    ConsumerGroupMember withAssignmentState(CurrentAssignmentValue value) {
        return new ConsumerGroupMember(memberId, subscription, value.memberEpoch(), value.previousMemberEpoch(),
                value.state(), value.assigned(), value.pendingRevocation());
    }

    /** The same member under another id (a static member replaced by its new incarnation). */
    ConsumerGroupMember withMemberId(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, subscription, memberEpoch, previousMemberEpoch, state,
                assigned, pendingRevocation);
    }

    CurrentAssignmentValue assignmentState() {
        return new CurrentAssignmentValue(memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation);
    }

    /** Every partition the coordinator considers this member to hold: assigned plus pending revocation. */
    public Assignment owned() {
        return assigned.union(pendingRevocation);
    }

    public String instanceId() {
        return subscription.instanceId();
    }

    public boolean isStatic() {
        return subscription.instanceId() != null;
    }

    /** Whether it owns exactly its target at {@code targetEpoch}. */
    public boolean isReconciledTo(int targetEpoch) {
        return state == MemberState.STABLE && memberEpoch == targetEpoch;
    }
}
