package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.MemberState;

/**
 * Moves one member's current assignment a step toward its target, never handing it a partition
 * another member still holds (KIP-848's incremental reconciliation). A pure function.
 *
 * <pre>
 *   STABLE at the target epoch ............ nothing to do
 *   STABLE behind the target epoch ......... compute the next step (below)
 *   UNREVOKED_PARTITIONS ................... wait until the member reports the revoked partitions
 *                                            gone, then compute the next step
 *   UNRELEASED_PARTITIONS .................. compute the next step (picks up released partitions)
 *
 *   next step:  keep = assigned ∩ target,  revoke = assigned − target,  add = target − assigned
 *     revoke ≠ ∅ and still owned  → UNREVOKED_PARTITIONS, epoch unchanged, assigned = keep,
 *                                   pending revocation = revoke (nothing added yet)
 *     otherwise                   → epoch = target epoch, assigned = keep ∪ (add not held by others),
 *                                   UNRELEASED_PARTITIONS if some of add is held by others, else STABLE
 * </pre>
 */
final class MemberReconciler {

    /** Who holds a partition in the group (assigned or pending revocation), or null. */
    @FunctionalInterface
    interface Holders {
        String holderOf(String topic, int partition);
    }

    private MemberReconciler() {
    }

    /**
     * @param member      the member as the coordinator knows it
     * @param targetEpoch the group's target assignment epoch
     * @param target      the member's target assignment
     * @param reported    what the member reported owning in this heartbeat; null when not reported
     *                    (then it is assumed to still own everything it was asked to revoke)
     * @param holders     who holds each partition in the group
     * @return the member after this step (the same instance when nothing changes)
     */
    static ConsumerGroupMember reconcile(ConsumerGroupMember member, int targetEpoch, Assignment target,
                                         Assignment reported, Holders holders) {
        switch (member.state()) {
            case STABLE:
                if (member.memberEpoch() == targetEpoch) {
                    return member;
                }
                return nextStep(member, targetEpoch, target, reported, holders);
            case UNREVOKED_PARTITIONS:
                if (stillOwns(member.pendingRevocation(), reported)) {
                    return member;
                }
                return nextStep(member, targetEpoch, target, reported, holders);
            case UNRELEASED_PARTITIONS:
                return nextStep(member, targetEpoch, target, reported, holders);
            default:
                throw new IllegalStateException("member " + member.memberId() + " in unknown state " + member.state());
        }
    }

    private static ConsumerGroupMember nextStep(ConsumerGroupMember member, int targetEpoch, Assignment target,
                                                Assignment reported, Holders holders) {
        Assignment assigned = member.assigned();
        Assignment keep = assigned.intersect(target);
        Assignment revoke = assigned.minus(target);
        Assignment.Builder added = Assignment.builder();
        boolean[] unreleased = {false};
        target.minus(assigned).forEach((topic, partition) -> {
            String holder = holders.holderOf(topic, partition);
            if (holder == null || holder.equals(member.memberId())) {
                added.add(topic, partition);
            } else {
                unreleased[0] = true;
            }
        });

        ConsumerGroupMember next;
        if (!revoke.isEmpty() && stillOwns(revoke, reported)) {
            next = new ConsumerGroupMember(member.memberId(), member.subscription(), member.memberEpoch(),
                    member.previousMemberEpoch(), MemberState.UNREVOKED_PARTITIONS, keep, revoke);
        } else {
            boolean epochMoves = member.memberEpoch() != targetEpoch;
            next = new ConsumerGroupMember(member.memberId(), member.subscription(), targetEpoch,
                    epochMoves ? member.memberEpoch() : member.previousMemberEpoch(),
                    unreleased[0] ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
                    keep.union(added.build()), Assignment.EMPTY);
        }
        return next.equals(member) ? member : next;
    }

    private static boolean stillOwns(Assignment revoking, Assignment reported) {
        return reported == null || reported.intersects(revoking);
    }
}
