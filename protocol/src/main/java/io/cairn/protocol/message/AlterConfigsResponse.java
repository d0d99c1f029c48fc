package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * AlterConfigs response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param responses    one result per resource in the request
 */
public record AlterConfigsResponse(short errorCode, String errorMessage, List<AlterConfigsResourceResponse> responses)
        implements ApiResponse {

    /**
     * One resource's outcome.
     *
     * @param errorCode    error for this resource (e.g. INVALID_CONFIG)
     * @param errorMessage message naming the key and the problem, or null
     * @param resourceType the resource type
     * @param resourceName the resource name
     */
    public record AlterConfigsResourceResponse(short errorCode, String errorMessage, byte resourceType, String resourceName) {
        public static final Schema<AlterConfigsResourceResponse> SCHEMA = Schema.of(AlterConfigsResourceResponse.class,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE,
                ConfigResources.RESOURCE_TYPE,
                ConfigResources.RESOURCE_NAME);
    }

    public static final Schema<AlterConfigsResponse> SCHEMA = Schema.of(AlterConfigsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("responses", Types.array(AlterConfigsResourceResponse.SCHEMA), "One result per resource in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.ALTER_CONFIGS;
    }
}
