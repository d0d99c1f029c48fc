package io.cairn.protocol.wire;

/**
 * The APIs Cairn speaks, numbered as in Kafka wherever Kafka has the API. The number is the
 * frame type of a request ({@code | 0x8000} for its response). Which versions of each API the
 * broker supports is part of its schema ({@code io.cairn.protocol.message.ApiSpecs}).
 */
public enum ApiKey {
    PRODUCE(0, "Produce"),
    FETCH(1, "Fetch"),
    LIST_OFFSETS(2, "ListOffsets"),
    METADATA(3, "Metadata"),
    OFFSET_COMMIT(8, "OffsetCommit"),
    OFFSET_FETCH(9, "OffsetFetch"),
    FIND_COORDINATOR(10, "FindCoordinator"),
    DESCRIBE_GROUPS(15, "DescribeGroups"),
    LIST_GROUPS(16, "ListGroups"),
    API_VERSIONS(18, "ApiVersions"),
    CREATE_TOPICS(19, "CreateTopics"),
    DELETE_TOPICS(20, "DeleteTopics"),
    INIT_PRODUCER_ID(22, "InitProducerId"),
    DESCRIBE_CONFIGS(32, "DescribeConfigs"),
    ALTER_CONFIGS(33, "AlterConfigs"),
    CREATE_PARTITIONS(37, "CreatePartitions"),
    DELETE_GROUPS(42, "DeleteGroups"),
    CONSUMER_GROUP_HEARTBEAT(68, "ConsumerGroupHeartbeat");

    private static final ApiKey[] BY_ID;

    static {
        int max = 0;
        for (ApiKey key : values()) {
            max = Math.max(max, key.id);
        }
        BY_ID = new ApiKey[max + 1];
        for (ApiKey key : values()) {
            BY_ID[key.id] = key;
        }
    }

    private final int id;
    private final String displayName;

    ApiKey(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The number on the wire. */
    public int id() {
        return id;
    }

    /** The API's name as in the protocol document, e.g. {@code "Produce"}. */
    public String displayName() {
        return displayName;
    }

    /** The API with this number, or null if Cairn has none (answer with UNSUPPORTED_VERSION). */
    public static ApiKey forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
