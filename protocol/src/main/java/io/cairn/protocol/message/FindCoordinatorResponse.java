package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;

/**
 * FindCoordinator response.
 *
 * @param errorCode    error (e.g. COORDINATOR_NOT_AVAILABLE)
 * @param errorMessage message, or null
 * @param nodeId       the coordinator's broker id, -1 on error
 * @param host         its host, empty on error
 * @param port         its port, -1 on error
 */
public record FindCoordinatorResponse(short errorCode, String errorMessage, int nodeId, String host, int port)
        implements ApiResponse {
    public static final Schema<FindCoordinatorResponse> SCHEMA = Schema.of(FindCoordinatorResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("nodeId", Types.INT32, "The coordinator's broker id, -1 on error."),
            Field.of("host", Types.STRING, "The coordinator's host, empty on error."),
            Field.of("port", Types.INT32, "The coordinator's port, -1 on error."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.FIND_COORDINATOR;
    }
}
