package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * OffsetCommit response.
 *
 * @param errorCode    request-level error (e.g. NOT_COORDINATOR)
 * @param errorMessage request-level message, or null
 * @param topics       results per topic
 */
public record OffsetCommitResponse(short errorCode, String errorMessage, List<OffsetCommitTopicResponse> topics)
        implements ApiResponse {

    /**
     * One partition's outcome.
     *
     * @param partitionIndex the partition
     * @param errorCode      error for this partition
     */
    public record OffsetCommitPartitionResponse(int partitionIndex, short errorCode) {
        public static final Schema<OffsetCommitPartitionResponse> SCHEMA = Schema.of(OffsetCommitPartitionResponse.class,
                CommonFields.PARTITION_INDEX,
                CommonFields.ITEM_ERROR_CODE);
    }

    /**
     * One topic's outcomes.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record OffsetCommitTopicResponse(String name, List<OffsetCommitPartitionResponse> partitions) {
        public static final Schema<OffsetCommitTopicResponse> SCHEMA = Schema.of(OffsetCommitTopicResponse.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(OffsetCommitPartitionResponse.SCHEMA), "Results per partition."));
    }

    public static final Schema<OffsetCommitResponse> SCHEMA = Schema.of(OffsetCommitResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(OffsetCommitTopicResponse.SCHEMA), "Results per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_COMMIT;
    }
}
