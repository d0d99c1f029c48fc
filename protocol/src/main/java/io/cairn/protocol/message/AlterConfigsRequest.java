package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * AlterConfigs request, with incremental semantics (as Kafka's IncrementalAlterConfigs): only the
 * listed keys change.
 *
 * @param resources    what to change
 * @param validateOnly validate without changing anything
 */
public record AlterConfigsRequest(List<AlterConfigsResource> resources, boolean validateOnly) implements ApiRequest {
    /** Set the key to the value. */
    public static final byte OP_SET = 0;
    /** Remove the key, reverting to the default. */
    public static final byte OP_DELETE = 1;

    /**
     * One key to change.
     *
     * @param name            the key
     * @param configOperation {@link #OP_SET} or {@link #OP_DELETE}
     * @param value           the new value for SET, null for DELETE
     */
    public record AlterableConfig(String name, byte configOperation, String value) {
        public static final Schema<AlterableConfig> SCHEMA = Schema.of(AlterableConfig.class,
                Field.of("name", Types.STRING, "The config key."),
                Field.of("configOperation", Types.INT8, "0: SET the key to value; 1: DELETE the key (revert to default)."),
                Field.of("value", Types.NULLABLE_STRING, "The new value for SET; null for DELETE."));
    }

    /**
     * One resource to change.
     *
     * @param resourceType the resource type
     * @param resourceName the topic name or broker id
     * @param configs      the keys to change
     */
    public record AlterConfigsResource(byte resourceType, String resourceName, List<AlterableConfig> configs) {
        public static final Schema<AlterConfigsResource> SCHEMA = Schema.of(AlterConfigsResource.class,
                ConfigResources.RESOURCE_TYPE,
                ConfigResources.RESOURCE_NAME,
                Field.of("configs", Types.array(AlterableConfig.SCHEMA), "The keys to change."));
    }

    public static final Schema<AlterConfigsRequest> SCHEMA = Schema.of(AlterConfigsRequest.class,
            Field.of("resources", Types.array(AlterConfigsResource.SCHEMA), "The resources to change."),
            CommonFields.VALIDATE_ONLY);

    @Override
    public ApiKey apiKey() {
        return ApiKey.ALTER_CONFIGS;
    }
}
