package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * CreateTopics request.
 *
 * @param topics       the topics to create
 * @param timeoutMs    how long the broker may take
 * @param validateOnly validate without creating
 */
public record CreateTopicsRequest(List<CreatableTopic> topics, int timeoutMs, boolean validateOnly) implements ApiRequest {

    /**
     * A topic config entry.
     *
     * @param name  the config key, e.g. {@code retention.ms}
     * @param value the value, null for the default
     */
    public record Config(String name, String value) {
        public static final Schema<Config> SCHEMA = Schema.of(Config.class,
                Field.of("name", Types.STRING, "The config key, e.g. retention.ms."),
                Field.of("value", Types.NULLABLE_STRING, "The value; null keeps the default."));
    }

    /**
     * One topic to create.
     *
     * @param name              the topic name
     * @param numPartitions     partitions, -1 for the broker default
     * @param replicationFactor replicas, -1 for the broker default
     * @param configs           topic-level configs
     */
    public record CreatableTopic(String name, int numPartitions, short replicationFactor, List<Config> configs) {
        public static final Schema<CreatableTopic> SCHEMA = Schema.of(CreatableTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("numPartitions", Types.INT32, "The number of partitions, or -1 for the broker's num.partitions."),
                Field.of("replicationFactor", Types.INT16,
                        "The number of replicas, or -1 for the broker default. A single broker accepts only -1 or 1."),
                Field.of("configs", Types.array(Config.SCHEMA), "Topic-level configs overriding the broker defaults."));
    }

    public static final Schema<CreateTopicsRequest> SCHEMA = Schema.of(CreateTopicsRequest.class,
            Field.of("topics", Types.array(CreatableTopic.SCHEMA), "The topics to create."),
            CommonFields.TIMEOUT_MS,
            CommonFields.VALIDATE_ONLY);

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_TOPICS;
    }
}
