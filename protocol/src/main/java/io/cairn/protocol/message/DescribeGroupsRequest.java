package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DescribeGroups request.
 *
 * @param groupIds the groups to describe
 */
public record DescribeGroupsRequest(List<String> groupIds) implements ApiRequest {
    public static final Schema<DescribeGroupsRequest> SCHEMA = Schema.of(DescribeGroupsRequest.class,
            Field.of("groupIds", Types.array(Types.STRING), "The groups to describe."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_GROUPS;
    }
}
