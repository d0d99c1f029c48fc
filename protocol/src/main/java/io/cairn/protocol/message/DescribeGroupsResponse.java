package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DescribeGroups response: members, assignments and lag of consumer groups.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param groups       one entry per group in the request
 */
public record DescribeGroupsResponse(short errorCode, String errorMessage, List<DescribedGroup> groups) implements ApiResponse {

    /**
     * One member.
     *
     * @param memberId             the member id
     * @param instanceId           static instance id, or null
     * @param memberEpoch          the member's epoch
     * @param clientId             the client id of its connection
     * @param clientHost           the host it connects from
     * @param subscribedTopicNames its subscription
     * @param subscribedTopicRegex its regex subscription, or null
     * @param assignment           the partitions it owns
     */
    public record Member(String memberId, String instanceId, int memberEpoch, String clientId, String clientHost,
                         List<String> subscribedTopicNames, String subscribedTopicRegex, List<TopicPartitions> assignment) {
        public static final Schema<Member> SCHEMA = Schema.of(Member.class,
                Field.of("memberId", Types.STRING, "The member id."),
                Field.of("instanceId", Types.NULLABLE_STRING, "The static instance id, or null."),
                Field.of("memberEpoch", Types.INT32, "The member's current epoch."),
                Field.of("clientId", Types.STRING, "The client id of the member's connection."),
                Field.of("clientHost", Types.STRING, "The host the member connects from."),
                Field.of("subscribedTopicNames", Types.array(Types.STRING), "The member's subscribed topics."),
                Field.of("subscribedTopicRegex", Types.NULLABLE_STRING, "The member's regex subscription, or null."),
                Field.of("assignment", Types.array(TopicPartitions.SCHEMA), "The partitions the member owns."));
    }

    /**
     * A committed offset and its lag.
     *
     * @param topicName       the topic
     * @param partitionIndex  the partition
     * @param committedOffset the group's committed offset, -1 if none
     * @param logEndOffset    the partition's log end offset
     * @param lag             logEndOffset - committedOffset, -1 if unknown
     */
    public record Offset(String topicName, int partitionIndex, long committedOffset, long logEndOffset, long lag) {
        public static final Schema<Offset> SCHEMA = Schema.of(Offset.class,
                Field.of("topicName", Types.STRING, "The topic."),
                CommonFields.PARTITION_INDEX,
                Field.of("committedOffset", Types.INT64, "The group's committed offset, -1 if none."),
                Field.of("logEndOffset", Types.INT64, "The partition's log end offset (high watermark), -1 if unknown."),
                Field.of("lag", Types.INT64, "logEndOffset - committedOffset, -1 if either is unknown."));
    }

    /**
     * One group.
     *
     * @param errorCode       error for this group (e.g. GROUP_ID_NOT_FOUND)
     * @param errorMessage    message, or null
     * @param groupId         the group id
     * @param groupState      its state
     * @param assignorName    the server assignor in use, or null
     * @param groupEpoch      the group epoch
     * @param assignmentEpoch the epoch of the target assignment
     * @param members         its members
     * @param offsets         committed offsets and lag per partition
     */
    public record DescribedGroup(short errorCode, String errorMessage, String groupId, String groupState, String assignorName,
                                 int groupEpoch, int assignmentEpoch, List<Member> members, List<Offset> offsets) {
        public static final Schema<DescribedGroup> SCHEMA = Schema.of(DescribedGroup.class,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE,
                Field.of("groupId", Types.STRING, "The group id."),
                Field.of("groupState", Types.STRING, "The group's state: Empty, Assigning, Reconciling, Stable or Dead."),
                Field.of("assignorName", Types.NULLABLE_STRING, "The server-side assignor in use, or null."),
                Field.of("groupEpoch", Types.INT32, "The group epoch, bumped on every membership or subscription change."),
                Field.of("assignmentEpoch", Types.INT32, "The epoch of the group's target assignment."),
                Field.of("members", Types.array(Member.SCHEMA), "The group's members."),
                Field.of("offsets", Types.array(Offset.SCHEMA), "Committed offsets and lag, per partition the group has committed."));
    }

    public static final Schema<DescribeGroupsResponse> SCHEMA = Schema.of(DescribeGroupsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("groups", Types.array(DescribedGroup.SCHEMA), "One entry per group in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_GROUPS;
    }
}
