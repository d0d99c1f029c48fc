package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DeleteTopics request.
 *
 * @param topicNames the topics to delete
 * @param timeoutMs  how long the broker may take
 */
public record DeleteTopicsRequest(List<String> topicNames, int timeoutMs) implements ApiRequest {
    public static final Schema<DeleteTopicsRequest> SCHEMA = Schema.of(DeleteTopicsRequest.class,
            Field.of("topicNames", Types.array(Types.STRING), "The topics to delete."),
            CommonFields.TIMEOUT_MS);

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_TOPICS;
    }
}
