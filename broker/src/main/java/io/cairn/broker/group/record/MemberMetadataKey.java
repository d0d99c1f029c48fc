package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of a member's subscription record: one per (group, member). Its tombstone removes the member. */
public record MemberMetadataKey(String groupId, String memberId) implements GroupRecordKey {
    public MemberMetadataKey {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
    }

    @Override
    public short type() {
        return RecordTypes.MEMBER_METADATA;
    }
}
