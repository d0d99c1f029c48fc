package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of a group's epoch record: one per group. Its tombstone deletes the group. */
public record GroupMetadataKey(String groupId) implements GroupRecordKey {
    public GroupMetadataKey {
        Objects.requireNonNull(groupId, "groupId");
    }

    @Override
    public short type() {
        return RecordTypes.GROUP_METADATA;
    }
}
