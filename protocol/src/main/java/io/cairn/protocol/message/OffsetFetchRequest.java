package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * OffsetFetch request: a group's committed positions.
 *
 * @param groupId the group
 * @param topics  the partitions wanted, or null for every partition the group has committed
 */
public record OffsetFetchRequest(String groupId, List<TopicPartitions> topics) implements ApiRequest {
    public static final Schema<OffsetFetchRequest> SCHEMA = Schema.of(OffsetFetchRequest.class,
            Field.of("groupId", Types.STRING, "The group."),
            Field.of("topics", Types.nullableArray(TopicPartitions.SCHEMA),
                    "The partitions wanted, per topic; null for every partition the group has an offset for."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FETCH;
    }
}
