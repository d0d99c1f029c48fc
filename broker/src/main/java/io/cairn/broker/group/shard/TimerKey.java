package io.cairn.broker.group.shard;

/** A member's session or rebalance (revocation) deadline. */
record TimerKey(Kind kind, String groupId, String memberId) {

    enum Kind {
        /** The member is removed when not heard from by then. */
        SESSION,
        /** The member is fenced when it has not revoked by then. */
        REBALANCE
    }

    static TimerKey session(String groupId, String memberId) {
        return new TimerKey(Kind.SESSION, groupId, memberId);
    }

    static TimerKey rebalance(String groupId, String memberId) {
        return new TimerKey(Kind.REBALANCE, groupId, memberId);
    }
}
