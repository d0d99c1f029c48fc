package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;

/**
 * ApiVersions request: asks which APIs and versions the broker speaks.
 *
 * @param clientSoftwareName    the client library's name, e.g. {@code cairn-java}, or null
 * @param clientSoftwareVersion the client library's version, or null
 */
public record ApiVersionsRequest(String clientSoftwareName, String clientSoftwareVersion) implements ApiRequest {
    public static final Schema<ApiVersionsRequest> SCHEMA = Schema.of(ApiVersionsRequest.class,
            Field.of("clientSoftwareName", Types.NULLABLE_STRING, "The client library's name, e.g. cairn-java, for the broker's logs."),
            Field.of("clientSoftwareVersion", Types.NULLABLE_STRING, "The client library's version."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.API_VERSIONS;
    }
}
