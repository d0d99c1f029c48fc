package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DescribeConfigs response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param results      one result per resource in the request
 */
public record DescribeConfigsResponse(short errorCode, String errorMessage, List<DescribeConfigsResult> results)
        implements ApiResponse {

    /**
     * One config entry.
     *
     * @param name          the key
     * @param value         the effective value, null if sensitive
     * @param readOnly      whether it cannot be altered at run time
     * @param isDefault     whether the value is the default (not set on the resource)
     * @param isSensitive   whether the value is hidden
     * @param configType    Kafka's config type number (1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list)
     * @param documentation the doc line, or null unless asked for
     */
    public record DescribeConfigsEntry(String name, String value, boolean readOnly, boolean isDefault, boolean isSensitive,
                                       byte configType, String documentation) {
        public static final Schema<DescribeConfigsEntry> SCHEMA = Schema.of(DescribeConfigsEntry.class,
                Field.of("name", Types.STRING, "The config key."),
                Field.of("value", Types.NULLABLE_STRING, "The effective value; null for a sensitive config."),
                Field.of("readOnly", Types.BOOL, "Whether the config cannot be altered while the broker runs."),
                Field.of("isDefault", Types.BOOL, "Whether the value is the default rather than set on the resource."),
                Field.of("isSensitive", Types.BOOL, "Whether the value is hidden."),
                Field.of("configType", Types.INT8,
                        "0 unknown, 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password."),
                Field.of("documentation", Types.NULLABLE_STRING, "The config's doc line, or null unless includeDocumentation."));
    }

    /**
     * One resource's configs.
     *
     * @param errorCode    error for this resource
     * @param errorMessage message for this resource, or null
     * @param resourceType the resource type
     * @param resourceName the resource name
     * @param configs      its config entries
     */
    public record DescribeConfigsResult(short errorCode, String errorMessage, byte resourceType, String resourceName,
                                        List<DescribeConfigsEntry> configs) {
        public static final Schema<DescribeConfigsResult> SCHEMA = Schema.of(DescribeConfigsResult.class,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.ITEM_ERROR_MESSAGE,
                ConfigResources.RESOURCE_TYPE,
                ConfigResources.RESOURCE_NAME,
                Field.of("configs", Types.array(DescribeConfigsEntry.SCHEMA), "The resource's config entries."));
    }

    public static final Schema<DescribeConfigsResponse> SCHEMA = Schema.of(DescribeConfigsResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("results", Types.array(DescribeConfigsResult.SCHEMA), "One result per resource in the request."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CONFIGS;
    }
}
