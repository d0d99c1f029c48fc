package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ApiVersions response: every API the broker speaks with its version range.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param apiKeys      one entry per API
 */
public record ApiVersionsResponse(short errorCode, String errorMessage, List<ApiVersion> apiKeys) implements ApiResponse {

    /**
     * The versions of one API.
     *
     * @param apiKey     the API key
     * @param minVersion the lowest version spoken
     * @param maxVersion the highest version spoken
     */
    public record ApiVersion(short apiKey, short minVersion, short maxVersion) {
        public static final Schema<ApiVersion> SCHEMA = Schema.of(ApiVersion.class,
                Field.of("apiKey", Types.INT16, "The API key."),
                Field.of("minVersion", Types.INT16, "The lowest version of the API the broker speaks."),
                Field.of("maxVersion", Types.INT16, "The highest version of the API the broker speaks."));
    }

    public static final Schema<ApiVersionsResponse> SCHEMA = Schema.of(ApiVersionsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("apiKeys", Types.array(ApiVersion.SCHEMA), "Every API the broker speaks."));

    /** The response a broker gives: every API in {@link ApiSpecs} with its version range. */
    public static ApiVersionsResponse ofSupported() {
        return new ApiVersionsResponse((short) 0, null, ApiSpecs.all().stream()
                .map(spec -> new ApiVersion((short) spec.apiKey().id(),
                        (short) spec.versions().lowest(), (short) spec.versions().highest()))
                .toList());
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.API_VERSIONS;
    }
}
