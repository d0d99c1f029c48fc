package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * Metadata request: brokers, topics and partition leaders.
 *
 * @param topics                 topic names, null for all topics, empty for brokers only
 * @param allowAutoTopicCreation create missing topics if the broker allows auto-creation
 */
public record MetadataRequest(List<String> topics, boolean allowAutoTopicCreation) implements ApiRequest {
    public static final Schema<MetadataRequest> SCHEMA = Schema.of(MetadataRequest.class,
            Field.of("topics", Types.nullableArray(Types.STRING),
                    "Topics to describe: null for all topics, empty for none (brokers only)."),
            Field.of("allowAutoTopicCreation", Types.BOOL,
                    "Create missing topics if the broker's auto.create.topics.enable allows it."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.METADATA;
    }
}
