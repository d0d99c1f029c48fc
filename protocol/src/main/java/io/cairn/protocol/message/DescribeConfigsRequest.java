package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * DescribeConfigs request: the effective configs of topics or brokers.
 *
 * @param resources            what to describe
 * @param includeDocumentation whether to send each config's doc line
 */
public record DescribeConfigsRequest(List<DescribeConfigsResource> resources, boolean includeDocumentation)
        implements ApiRequest {

    /**
     * One resource to describe.
     *
     * @param resourceType      {@link ConfigResources#TYPE_TOPIC} or {@link ConfigResources#TYPE_BROKER}
     * @param resourceName      the topic name or broker id
     * @param configurationKeys the keys wanted, or null for all
     */
    public record DescribeConfigsResource(byte resourceType, String resourceName, List<String> configurationKeys) {
        public static final Schema<DescribeConfigsResource> SCHEMA = Schema.of(DescribeConfigsResource.class,
                ConfigResources.RESOURCE_TYPE,
                ConfigResources.RESOURCE_NAME,
                Field.of("configurationKeys", Types.nullableArray(Types.STRING), "The config keys wanted, or null for all."));
    }

    public static final Schema<DescribeConfigsRequest> SCHEMA = Schema.of(DescribeConfigsRequest.class,
            Field.of("resources", Types.array(DescribeConfigsResource.SCHEMA), "The resources to describe."),
            Field.of("includeDocumentation", Types.BOOL, "Whether to send each config's documentation."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CONFIGS;
    }
}
