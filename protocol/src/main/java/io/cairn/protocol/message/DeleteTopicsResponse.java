package io.cairn.protocol.message;

import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DeleteTopics response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param topics       one result per topic in the request
 */
public record DeleteTopicsResponse(short errorCode, String errorMessage, List<DeletableTopicResult> topics)
        implements ApiResponse {

    /**
     * The outcome for one topic.
     *
     * @param name         the topic
     * @param errorCode    error for this topic
     * @param errorMessage message for this topic, or null
     */
    public record DeletableTopicResult(String name, short errorCode, String errorMessage) {
        public static final Schema<DeletableTopicResult> SCHEMA = Schema.of(DeletableTopicResult.class,
                CommonFields.TOPIC_NAME,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE);
    }

    public static final Schema<DeleteTopicsResponse> SCHEMA = Schema.of(DeleteTopicsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(DeletableTopicResult.SCHEMA), "One result per topic in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_TOPICS;
    }
}
