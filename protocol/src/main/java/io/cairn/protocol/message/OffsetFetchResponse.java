package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * OffsetFetch response.
 *
 * @param errorCode    request-level error (e.g. NOT_COORDINATOR, GROUP_ID_NOT_FOUND)
 * @param errorMessage request-level message, or null
 * @param topics       offsets per topic
 */
public record OffsetFetchResponse(short errorCode, String errorMessage, List<OffsetFetchTopic> topics) implements ApiResponse {

    /**
     * One partition's committed position.
     *
     * @param partitionIndex       the partition
     * @param committedOffset      the committed offset, -1 if none
     * @param committedLeaderEpoch its leader epoch, -1 if unknown
     * @param metadata             the metadata committed with it, or null
     * @param errorCode            error for this partition
     */
    public record OffsetFetchPartition(int partitionIndex, long committedOffset, int committedLeaderEpoch, String metadata,
                                       short errorCode) {
        public static final Schema<OffsetFetchPartition> SCHEMA = Schema.of(OffsetFetchPartition.class,
                CommonFields.PARTITION_INDEX,
                Field.of("committedOffset", Types.INT64, "The committed offset, -1 if the group has none for the partition."),
                Field.of("committedLeaderEpoch", Types.INT32, "The leader epoch committed with it, -1 if unknown."),
                Field.of("metadata", Types.NULLABLE_STRING, "The metadata committed with it, or null."),
                CommonFields.ITEM_ERROR_CODE);
    }

    /**
     * One topic's positions.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record OffsetFetchTopic(String name, List<OffsetFetchPartition> partitions) {
        public static final Schema<OffsetFetchTopic> SCHEMA = Schema.of(OffsetFetchTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(OffsetFetchPartition.SCHEMA), "Offsets per partition."));
    }

    public static final Schema<OffsetFetchResponse> SCHEMA = Schema.of(OffsetFetchResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(OffsetFetchTopic.SCHEMA), "Offsets per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FETCH;
    }
}
