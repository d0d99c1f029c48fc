package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ConsumerGroupHeartbeat response.
 *
 * @param errorCode           error (e.g. FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, NOT_COORDINATOR)
 * @param errorMessage        message, or null
 * @param memberId            the member id (assigned on join), or null
 * @param memberEpoch         the member's new epoch
 * @param heartbeatIntervalMs when to heartbeat next
 * @param assignment          the partitions the member should own now, or null if unchanged
 */
public record ConsumerGroupHeartbeatResponse(short errorCode, String errorMessage, String memberId, int memberEpoch,
                                             int heartbeatIntervalMs, List<TopicPartitions> assignment)
        implements ApiResponse {
    public static final Schema<ConsumerGroupHeartbeatResponse> SCHEMA = Schema.of(ConsumerGroupHeartbeatResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("memberId", Types.NULLABLE_STRING, "The member id, assigned by the coordinator on join; null on error."),
            Field.of("memberEpoch", Types.INT32, "The member's epoch after this heartbeat."),
            Field.of("heartbeatIntervalMs", Types.INT32, "How long to wait before the next heartbeat."),
            Field.of("assignment", Types.nullableArray(TopicPartitions.SCHEMA),
                    "The complete set of partitions the member should own now, or null if unchanged. Partitions "
                            + "missing from it are revoked; new ones are only given once their previous owner revoked them."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.CONSUMER_GROUP_HEARTBEAT;
    }
}
