package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ListOffsets response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param topics       results per topic
 */
public record ListOffsetsResponse(short errorCode, String errorMessage, List<ListOffsetsTopicResponse> topics)
        implements ApiResponse {

    /**
     * One partition's offset.
     *
     * @param partitionIndex the partition
     * @param errorCode      error for this partition
     * @param timestamp      timestamp of the record found, -1 if none
     * @param offset         the offset found, -1 if none
     * @param leaderEpoch    leader epoch of the offset, -1 if unknown
     */
    public record ListOffsetsPartitionResponse(int partitionIndex, short errorCode, long timestamp, long offset, int leaderEpoch) {
        public static final Schema<ListOffsetsPartitionResponse> SCHEMA = Schema.of(ListOffsetsPartitionResponse.class,
                CommonFields.PARTITION_INDEX,
                CommonFields.ITEM_ERROR_CODE,
                Field.of("timestamp", Types.INT64, "The timestamp of the record at the offset found, -1 for earliest/latest or none."),
                Field.of("offset", Types.INT64, "The offset found, -1 if no record is at or after the timestamp."),
                Field.of("leaderEpoch", Types.INT32, "The leader epoch of the offset found, -1 if unknown."));
    }

    /**
     * One topic's results.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record ListOffsetsTopicResponse(String name, List<ListOffsetsPartitionResponse> partitions) {
        public static final Schema<ListOffsetsTopicResponse> SCHEMA = Schema.of(ListOffsetsTopicResponse.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(ListOffsetsPartitionResponse.SCHEMA), "Results per partition."));
    }

    public static final Schema<ListOffsetsResponse> SCHEMA = Schema.of(ListOffsetsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(ListOffsetsTopicResponse.SCHEMA), "Results per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_OFFSETS;
    }
}
