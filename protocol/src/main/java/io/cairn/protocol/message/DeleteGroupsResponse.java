package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DeleteGroups response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param results      one result per group in the request
 */
public record DeleteGroupsResponse(short errorCode, String errorMessage, List<DeletableGroupResult> results)
        implements ApiResponse {

    /**
     * The outcome for one group.
     *
     * @param groupId   the group
     * @param errorCode error for it (e.g. NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND)
     */
    public record DeletableGroupResult(String groupId, short errorCode) {
        public static final Schema<DeletableGroupResult> SCHEMA = Schema.of(DeletableGroupResult.class,
                Field.of("groupId", Types.STRING, "The group id."),
                CommonFields.ITEM_ERROR_CODE);
    }

    public static final Schema<DeleteGroupsResponse> SCHEMA = Schema.of(DeleteGroupsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("results", Types.array(DeletableGroupResult.SCHEMA), "One result per group in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_GROUPS;
    }
}
