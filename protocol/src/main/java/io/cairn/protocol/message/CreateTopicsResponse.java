package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;
import java.util.UUID;

/**
 * CreateTopics response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param topics       one result per topic in the request
 */
public record CreateTopicsResponse(short errorCode, String errorMessage, List<TopicResult> topics) implements ApiResponse {

    /**
     * The outcome for one topic.
     *
     * @param name              the topic name
     * @param topicId           the new topic's id, zero UUID on error
     * @param errorCode         error for this topic
     * @param errorMessage      message for this topic, or null
     * @param numPartitions     partitions created (or that would be), -1 on error
     * @param replicationFactor replicas, -1 on error
     */
    public record TopicResult(String name, UUID topicId, short errorCode, String errorMessage, int numPartitions,
                              short replicationFactor) {
        public static final Schema<TopicResult> SCHEMA = Schema.of(TopicResult.class,
                CommonFields.TOPIC_NAME,
                Field.of("topicId", Types.UUID, "The new topic's id; all zeros on error."),
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE,
                Field.of("numPartitions", Types.INT32, "The number of partitions created (or that would be), -1 on error."),
                Field.of("replicationFactor", Types.INT16, "The number of replicas, -1 on error."));
    }

    public static final Schema<CreateTopicsResponse> SCHEMA = Schema.of(CreateTopicsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(TopicResult.SCHEMA), "One result per topic in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_TOPICS;
    }
}
