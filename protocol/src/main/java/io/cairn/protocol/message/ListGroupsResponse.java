package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ListGroups response.
 *
 * @param errorCode    error
 * @param errorMessage message, or null
 * @param groups       the groups
 */
public record ListGroupsResponse(short errorCode, String errorMessage, List<ListedGroup> groups) implements ApiResponse {

    /**
     * One group.
     *
     * @param groupId      the group id
     * @param groupState   its state
     * @param protocolType {@code consumer}
     */
    public record ListedGroup(String groupId, String groupState, String protocolType) {
        public static final Schema<ListedGroup> SCHEMA = Schema.of(ListedGroup.class,
                Field.of("groupId", Types.STRING, "The group id."),
                Field.of("groupState", Types.STRING, "The group's state: Empty, Assigning, Reconciling, Stable or Dead."),
                Field.of("protocolType", Types.STRING, "The group's protocol type; consumer for every Cairn group."));
    }

    public static final Schema<ListGroupsResponse> SCHEMA = Schema.of(ListGroupsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("groups", Types.array(ListedGroup.SCHEMA), "The groups this coordinator hosts."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_GROUPS;
    }
}
