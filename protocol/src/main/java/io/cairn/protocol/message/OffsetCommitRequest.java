package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * OffsetCommit request: store a group's consumed positions.
 *
 * @param groupId         the group
 * @param memberId        the committing member, empty for an admin commit
 * @param memberEpoch     the member's epoch, -1 for an admin commit (group must be empty)
 * @param groupInstanceId the static member's instance id, or null
 * @param topics          offsets per topic
 */
public record OffsetCommitRequest(String groupId, String memberId, int memberEpoch, String groupInstanceId,
                                  List<OffsetCommitTopic> topics) implements ApiRequest {

    /**
     * One partition's committed position.
     *
     * @param partitionIndex       the partition
     * @param committedOffset      the next offset to consume
     * @param committedLeaderEpoch leader epoch of the last consumed record, -1 if unknown
     * @param committedMetadata    free-form metadata, or null
     */
    public record OffsetCommitPartition(int partitionIndex, long committedOffset, int committedLeaderEpoch,
                                        String committedMetadata) {
        public static final Schema<OffsetCommitPartition> SCHEMA = Schema.of(OffsetCommitPartition.class,
                CommonFields.PARTITION_INDEX,
                Field.of("committedOffset", Types.INT64, "The next offset the group will consume."),
                Field.of("committedLeaderEpoch", Types.INT32, "The leader epoch of the last consumed record, -1 if unknown."),
                Field.of("committedMetadata", Types.NULLABLE_STRING,
                        "Free-form metadata stored with the offset, or null; limited by offset.metadata.max.bytes."));
    }

    /**
     * One topic's offsets.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record OffsetCommitTopic(String name, List<OffsetCommitPartition> partitions) {
        public static final Schema<OffsetCommitTopic> SCHEMA = Schema.of(OffsetCommitTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(OffsetCommitPartition.SCHEMA), "Offsets per partition."));
    }

    public static final Schema<OffsetCommitRequest> SCHEMA = Schema.of(OffsetCommitRequest.class,
            Field.of("groupId", Types.STRING, "The group."),
            Field.of("memberId", Types.STRING, "The committing member's id; empty for an admin commit."),
            Field.of("memberEpoch", Types.INT32, "The member's current epoch; -1 for an admin commit, which the "
                    + "coordinator accepts only while the group has no members. A stale epoch is STALE_MEMBER_EPOCH."),
            Field.of("groupInstanceId", Types.NULLABLE_STRING, "The static member's instance id, or null."),
            Field.of("topics", Types.array(OffsetCommitTopic.SCHEMA), "Offsets to commit, per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_COMMIT;
    }
}
