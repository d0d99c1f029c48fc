package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * Produce response (not sent for acks=0).
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param topics       results per topic
 */
public record ProduceResponse(short errorCode, String errorMessage, List<TopicResponse> topics) implements ApiResponse {

    /**
     * The outcome for one partition.
     *
     * @param partitionIndex  the partition
     * @param errorCode       error for this partition
     * @param errorMessage    message for this partition, or null
     * @param baseOffset      offset given to the first record, -1 on error
     * @param logAppendTimeMs broker time if the topic uses LogAppendTime, else -1
     * @param logStartOffset  the partition's log start offset, -1 on error
     */
    public record PartitionResponse(int partitionIndex, short errorCode, String errorMessage, long baseOffset,
                                    long logAppendTimeMs, long logStartOffset) {
        public static final Schema<PartitionResponse> SCHEMA = Schema.of(PartitionResponse.class,
                CommonFields.PARTITION_INDEX,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE,
                Field.of("baseOffset", Types.INT64, "The offset given to the first record appended, -1 on error. "
                        + "For a duplicate batch (idempotent retry) the offset it was first given. With several "
                        + "batches, the first batch's offset; each later one starts after the one before it."),
                Field.of("logAppendTimeMs", Types.INT64, "The broker's append time if the topic uses LogAppendTime, else -1."),
                Field.of("logStartOffset", Types.INT64, "The partition's log start offset, -1 on error."));
    }

    /**
     * One topic's results.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record TopicResponse(String name, List<PartitionResponse> partitions) {
        public static final Schema<TopicResponse> SCHEMA = Schema.of(TopicResponse.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(PartitionResponse.SCHEMA), "Results per partition."));
    }

    public static final Schema<ProduceResponse> SCHEMA = Schema.of(ProduceResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(TopicResponse.SCHEMA), "Results per topic, as in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.PRODUCE;
    }
}
