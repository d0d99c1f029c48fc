package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * CreatePartitions request: grow topics to a new partition count.
 *
 * @param topics       the topics and their new counts
 * @param timeoutMs    how long the broker may take
 * @param validateOnly validate without changing anything
 */
public record CreatePartitionsRequest(List<CreatePartitionsTopic> topics, int timeoutMs, boolean validateOnly)
        implements ApiRequest {

    /**
     * One topic to grow.
     *
     * @param name  the topic
     * @param count the new total number of partitions
     */
    public record CreatePartitionsTopic(String name, int count) {
        public static final Schema<CreatePartitionsTopic> SCHEMA = Schema.of(CreatePartitionsTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("count", Types.INT32, "The new total number of partitions; must exceed the current count "
                        + "(else INVALID_PARTITIONS)."));
    }

    public static final Schema<CreatePartitionsRequest> SCHEMA = Schema.of(CreatePartitionsRequest.class,
            Field.of("topics", Types.array(CreatePartitionsTopic.SCHEMA), "The topics to grow."),
            CommonFields.TIMEOUT_MS,
            CommonFields.VALIDATE_ONLY);

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_PARTITIONS;
    }
}
