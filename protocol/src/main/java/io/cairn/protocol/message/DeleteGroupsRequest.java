package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DeleteGroups request: remove empty groups and their committed offsets.
 *
 * @param groupIds the groups to delete
 */
public record DeleteGroupsRequest(List<String> groupIds) implements ApiRequest {
    public static final Schema<DeleteGroupsRequest> SCHEMA = Schema.of(DeleteGroupsRequest.class,
            Field.of("groupIds", Types.array(Types.STRING), "The groups to delete; each must be empty (else NON_EMPTY_GROUP)."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_GROUPS;
    }
}
