package io.cairn.broker.group.record;

import java.util.Objects;

/** Key of a committed offset: one per (group, topic, partition). */
public record OffsetCommitKey(String groupId, String topic, int partition) implements GroupRecordKey {
    public OffsetCommitKey {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public short type() {
        return RecordTypes.OFFSET_COMMIT;
    }
}
