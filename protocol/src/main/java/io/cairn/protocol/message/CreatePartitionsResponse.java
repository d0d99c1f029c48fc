package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * CreatePartitions response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param results      one result per topic in the request
 */
public record CreatePartitionsResponse(short errorCode, String errorMessage, List<CreatePartitionsTopicResult> results)
        implements ApiResponse {

    /**
     * The outcome for one topic.
     *
     * @param name         the topic
     * @param errorCode    error for this topic
     * @param errorMessage message for this topic, or null
     */
    public record CreatePartitionsTopicResult(String name, short errorCode, String errorMessage) {
        public static final Schema<CreatePartitionsTopicResult> SCHEMA = Schema.of(CreatePartitionsTopicResult.class,
                CommonFields.TOPIC_NAME,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE);
    }

    public static final Schema<CreatePartitionsResponse> SCHEMA = Schema.of(CreatePartitionsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("results", Types.array(CreatePartitionsTopicResult.SCHEMA), "One result per topic in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_PARTITIONS;
    }
}
