package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ListGroups request.
 *
 * @param statesFilter group states to list (e.g. Stable, Empty); empty for all
 */
public record ListGroupsRequest(List<String> statesFilter) implements ApiRequest {
    public static final Schema<ListGroupsRequest> SCHEMA = Schema.of(ListGroupsRequest.class,
            Field.of("statesFilter", Types.array(Types.STRING),
                    "Group states to list (Empty, Assigning, Reconciling, Stable, Dead); empty for all."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_GROUPS;
    }
}
