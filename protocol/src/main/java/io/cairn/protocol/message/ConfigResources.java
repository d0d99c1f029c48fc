package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Types;

/** Resource types and fields shared by DescribeConfigs and AlterConfigs (Kafka's numbers). */
public final class ConfigResources {
    /** A topic; the resource name is the topic name. */
    public static final byte TYPE_TOPIC = 2;
    /** A broker; the resource name is the broker id, or empty for the cluster-wide default. */
    public static final byte TYPE_BROKER = 4;

    static final Field RESOURCE_TYPE = Field.of("resourceType", Types.INT8, "2: topic; 4: broker.");
    static final Field RESOURCE_NAME = Field.of("resourceName", Types.STRING,
            "The topic name, or the broker id as a decimal string.");

    private ConfigResources() {
    }
}
