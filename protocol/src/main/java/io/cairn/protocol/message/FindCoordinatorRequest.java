package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;

/**
 * FindCoordinator request: which broker coordinates a group.
 *
 * @param key     the group id
 * @param keyType {@link #KEY_TYPE_GROUP}
 */
public record FindCoordinatorRequest(String key, byte keyType) implements ApiRequest {
    /** The key is a consumer group id. */
    public static final byte KEY_TYPE_GROUP = 0;

    public static final Schema<FindCoordinatorRequest> SCHEMA = Schema.of(FindCoordinatorRequest.class,
            Field.of("key", Types.STRING, "The coordinator key: a group id."),
            Field.of("keyType", Types.INT8, "0: group. (1, transaction, is reserved.)"));

    @Override
    public ApiKey apiKey() {
        return ApiKey.FIND_COORDINATOR;
    }
}
