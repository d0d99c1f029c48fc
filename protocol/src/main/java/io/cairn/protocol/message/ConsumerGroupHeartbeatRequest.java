package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ConsumerGroupHeartbeat request (the shape of Kafka's KIP-848, with topic names instead of
 * topic ids): joins, heartbeats in and leaves a consumer group. Nullable fields are sent only
 * when they changed since the last heartbeat (and always on join); null means "unchanged".
 *
 * @param groupId              the group
 * @param memberId             the member id; empty when joining (the coordinator assigns one)
 * @param memberEpoch          0 to join, -1 to leave, -2 for a static member leaving temporarily, else the current epoch
 * @param instanceId           static membership id, or null
 * @param rackId               the consumer's rack, or null
 * @param rebalanceTimeoutMs   how long the member may take to revoke partitions; -1 if unchanged
 * @param subscribedTopicNames the subscription, or null if unchanged
 * @param subscribedTopicRegex a regex subscription, or null if unchanged
 * @param serverAssignor       the assignor to use, or null for the group's default
 * @param topicPartitions      the partitions the member owns, or null if unchanged
 */
public record ConsumerGroupHeartbeatRequest(String groupId, String memberId, int memberEpoch, String instanceId,
                                            String rackId, int rebalanceTimeoutMs, List<String> subscribedTopicNames,
                                            String subscribedTopicRegex, String serverAssignor,
                                            List<TopicPartitions> topicPartitions) implements ApiRequest {
    /** memberEpoch to join the group. */
    public static final int JOIN_EPOCH = 0;
    /** memberEpoch to leave the group. */
    public static final int LEAVE_EPOCH = -1;
    /** memberEpoch for a static member leaving temporarily (its instance id stays reserved). */
    public static final int LEAVE_STATIC_EPOCH = -2;

    public static final Schema<ConsumerGroupHeartbeatRequest> SCHEMA = Schema.of(ConsumerGroupHeartbeatRequest.class,
            Field.of("groupId", Types.STRING, "The group."),
            Field.of("memberId", Types.STRING, "The member id; empty when joining, then the id the coordinator returned."),
            Field.of("memberEpoch", Types.INT32, "0 to join; -1 to leave; -2 for a static member leaving temporarily; "
                    + "otherwise the member's current epoch."),
            Field.of("instanceId", Types.NULLABLE_STRING, "The static membership instance id, or null."),
            Field.of("rackId", Types.NULLABLE_STRING, "The consumer's rack, or null if unchanged."),
            Field.of("rebalanceTimeoutMs", Types.INT32,
                    "How long the member may take to revoke partitions before it is fenced; -1 if unchanged."),
            Field.of("subscribedTopicNames", Types.nullableArray(Types.STRING), "The subscribed topics, or null if unchanged."),
            Field.of("subscribedTopicRegex", Types.NULLABLE_STRING,
                    "A regular expression subscription (Java syntax), or null if unchanged."),
            Field.of("serverAssignor", Types.NULLABLE_STRING,
                    "The server-side assignor to use (e.g. uniform, range), or null for the group's default."),
            Field.of("topicPartitions", Types.nullableArray(TopicPartitions.SCHEMA),
                    "The partitions the member owns now, or null if unchanged."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.CONSUMER_GROUP_HEARTBEAT;
    }
}
