package io.cairn.protocol.message;

import io.cairn.protocol.types.Versions;
import io.cairn.protocol.wire.ApiKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every API Cairn speaks, with its versions and schemas: the registry the codecs, the ApiVersions
 * response and the protocol document are built from. Immutable after class initialisation.
 */
public final class ApiSpecs {
    public static final ApiSpec<ProduceRequest, ProduceResponse> PRODUCE = new ApiSpec<>(ApiKey.PRODUCE, Versions.range(0, 0),
            ProduceRequest.SCHEMA, ProduceResponse.SCHEMA,
            "Appends record batches to partitions. With acks=0 the broker sends no response. Batches sent on one "
                    + "connection to one partition are appended in the order sent.");
    public static final ApiSpec<FetchRequest, FetchResponse> FETCH = new ApiSpec<>(ApiKey.FETCH, Versions.range(0, 0),
            FetchRequest.SCHEMA, FetchResponse.SCHEMA,
            "Reads record batches from offsets. Long-polls: the broker answers once minBytes of records are "
                    + "available or maxWaitMs has passed. Records are served zero-copy from the log files.");
    public static final ApiSpec<MetadataRequest, MetadataResponse> METADATA = new ApiSpec<>(ApiKey.METADATA, Versions.range(0, 1),
            MetadataRequest.SCHEMA, MetadataResponse.SCHEMA,
            "Describes the brokers, the topics and the leader of each partition. Version 1 adds each partition's "
                    + "log start and end offsets, size on disk and segment count, as the answering broker's log has "
                    + "them (the figures of Kafka's DescribeLogDirs, without a second request).");
    public static final ApiSpec<ApiVersionsRequest, ApiVersionsResponse> API_VERSIONS = new ApiSpec<>(ApiKey.API_VERSIONS,
            Versions.range(0, 0), ApiVersionsRequest.SCHEMA, ApiVersionsResponse.SCHEMA,
            "Tells the client which APIs and versions the broker speaks; usually the first request on a connection. "
                    + "If the broker does not speak the requested version it answers UNSUPPORTED_VERSION in error-only "
                    + "form and the client retries with version 0.");
    public static final ApiSpec<CreateTopicsRequest, CreateTopicsResponse> CREATE_TOPICS = new ApiSpec<>(ApiKey.CREATE_TOPICS,
            Versions.range(0, 0), CreateTopicsRequest.SCHEMA, CreateTopicsResponse.SCHEMA,
            "Creates topics with a partition count and topic-level configs.");

    public static final ApiSpec<ListOffsetsRequest, ListOffsetsResponse> LIST_OFFSETS = new ApiSpec<>(ApiKey.LIST_OFFSETS,
            Versions.range(0, 0), ListOffsetsRequest.SCHEMA, ListOffsetsResponse.SCHEMA,
            "Looks up offsets: the earliest, the latest, or the first at or after a timestamp (by the time index).");
    public static final ApiSpec<OffsetCommitRequest, OffsetCommitResponse> OFFSET_COMMIT = new ApiSpec<>(ApiKey.OFFSET_COMMIT,
            Versions.range(0, 0), OffsetCommitRequest.SCHEMA, OffsetCommitResponse.SCHEMA,
            "Stores a group's consumed positions, sent to the group's coordinator. The commit is a record in "
                    + "__consumer_offsets; the response comes once it is durable.");
    public static final ApiSpec<OffsetFetchRequest, OffsetFetchResponse> OFFSET_FETCH = new ApiSpec<>(ApiKey.OFFSET_FETCH,
            Versions.range(0, 0), OffsetFetchRequest.SCHEMA, OffsetFetchResponse.SCHEMA,
            "Reads a group's committed positions from the group's coordinator.");
    public static final ApiSpec<FindCoordinatorRequest, FindCoordinatorResponse> FIND_COORDINATOR = new ApiSpec<>(
            ApiKey.FIND_COORDINATOR, Versions.range(0, 0), FindCoordinatorRequest.SCHEMA, FindCoordinatorResponse.SCHEMA,
            "Finds the broker coordinating a group: the leader of partition hash(groupId) % "
                    + "offsets.topic.num.partitions of __consumer_offsets.");
    public static final ApiSpec<DescribeGroupsRequest, DescribeGroupsResponse> DESCRIBE_GROUPS = new ApiSpec<>(
            ApiKey.DESCRIBE_GROUPS, Versions.range(0, 0), DescribeGroupsRequest.SCHEMA, DescribeGroupsResponse.SCHEMA,
            "Describes consumer groups: state, epochs, members with their assignments, committed offsets and lag.");
    public static final ApiSpec<ListGroupsRequest, ListGroupsResponse> LIST_GROUPS = new ApiSpec<>(ApiKey.LIST_GROUPS,
            Versions.range(0, 0), ListGroupsRequest.SCHEMA, ListGroupsResponse.SCHEMA,
            "Lists the groups a broker coordinates.");
    public static final ApiSpec<DeleteTopicsRequest, DeleteTopicsResponse> DELETE_TOPICS = new ApiSpec<>(ApiKey.DELETE_TOPICS,
            Versions.range(0, 0), DeleteTopicsRequest.SCHEMA, DeleteTopicsResponse.SCHEMA,
            "Deletes topics and their data.");
    public static final ApiSpec<InitProducerIdRequest, InitProducerIdResponse> INIT_PRODUCER_ID = new ApiSpec<>(
            ApiKey.INIT_PRODUCER_ID, Versions.range(0, 0), InitProducerIdRequest.SCHEMA, InitProducerIdResponse.SCHEMA,
            "Gives an idempotent producer its producer id and epoch. Batches then carry (producerId, epoch, "
                    + "baseSequence); the broker answers a duplicate with its original offset and a gap with "
                    + "OUT_OF_ORDER_SEQUENCE_NUMBER.");
    public static final ApiSpec<DescribeConfigsRequest, DescribeConfigsResponse> DESCRIBE_CONFIGS = new ApiSpec<>(
            ApiKey.DESCRIBE_CONFIGS, Versions.range(0, 0), DescribeConfigsRequest.SCHEMA, DescribeConfigsResponse.SCHEMA,
            "Describes the effective configs of topics (resource type 2) or brokers (resource type 4).");
    public static final ApiSpec<AlterConfigsRequest, AlterConfigsResponse> ALTER_CONFIGS = new ApiSpec<>(
            ApiKey.ALTER_CONFIGS, Versions.range(0, 0), AlterConfigsRequest.SCHEMA, AlterConfigsResponse.SCHEMA,
            "Changes configs incrementally (the semantics of Kafka's IncrementalAlterConfigs): each listed key is "
                    + "SET or DELETEd, other keys keep their values. Invalid keys or values fail the whole resource "
                    + "with INVALID_CONFIG.");
    public static final ApiSpec<CreatePartitionsRequest, CreatePartitionsResponse> CREATE_PARTITIONS = new ApiSpec<>(
            ApiKey.CREATE_PARTITIONS, Versions.range(0, 0), CreatePartitionsRequest.SCHEMA, CreatePartitionsResponse.SCHEMA,
            "Adds partitions to topics. Existing partitions keep their data; keys may map to other partitions afterwards.");
    public static final ApiSpec<DeleteGroupsRequest, DeleteGroupsResponse> DELETE_GROUPS = new ApiSpec<>(
            ApiKey.DELETE_GROUPS, Versions.range(0, 0), DeleteGroupsRequest.SCHEMA, DeleteGroupsResponse.SCHEMA,
            "Deletes empty groups and their committed offsets (tombstones in __consumer_offsets).");
    public static final ApiSpec<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> CONSUMER_GROUP_HEARTBEAT =
            new ApiSpec<>(ApiKey.CONSUMER_GROUP_HEARTBEAT, Versions.range(0, 0), ConsumerGroupHeartbeatRequest.SCHEMA,
                    ConsumerGroupHeartbeatResponse.SCHEMA,
                    "Joins, heartbeats in and leaves a consumer group with server-side assignment (the model of Kafka's "
                            + "KIP-848). The coordinator computes assignments and hands them out incrementally: a "
                            + "partition is revoked from its owner before it is given to another member; member epochs "
                            + "fence stale members.");

    private static final Map<ApiKey, ApiSpec<?, ?>> BY_KEY;
    private static final ApiSpec<?, ?>[] BY_ID;

    static {
        List<ApiSpec<?, ?>> all = List.of(PRODUCE, FETCH, LIST_OFFSETS, METADATA, OFFSET_COMMIT, OFFSET_FETCH,
                FIND_COORDINATOR, DESCRIBE_GROUPS, LIST_GROUPS, API_VERSIONS, CREATE_TOPICS, DELETE_TOPICS,
                INIT_PRODUCER_ID, DESCRIBE_CONFIGS, ALTER_CONFIGS, CREATE_PARTITIONS, DELETE_GROUPS, CONSUMER_GROUP_HEARTBEAT);
        Map<ApiKey, ApiSpec<?, ?>> byKey = new EnumMap<>(ApiKey.class);
        int maxId = 0;
        for (ApiSpec<?, ?> spec : all) {
            if (byKey.put(spec.apiKey(), spec) != null) {
                throw new IllegalStateException("two specs for " + spec.apiKey());
            }
            maxId = Math.max(maxId, spec.apiKey().id());
        }
        ApiSpec<?, ?>[] byId = new ApiSpec<?, ?>[maxId + 1];
        for (ApiSpec<?, ?> spec : all) {
            byId[spec.apiKey().id()] = spec;
        }
        BY_KEY = Collections.unmodifiableMap(byKey);
        BY_ID = byId;
    }

    private ApiSpecs() {
    }

    /** Every API Cairn speaks, in API key order. */
    public static List<ApiSpec<?, ?>> all() {
        return new ArrayList<>(BY_KEY.values());
    }

    /**
     * The spec of {@code key}.
     *
     * @throws IllegalArgumentException if Cairn does not speak the API
     */
    public static ApiSpec<?, ?> forKey(ApiKey key) {
        ApiSpec<?, ?> spec = BY_KEY.get(key);
        if (spec == null) {
            throw new IllegalArgumentException("no schema for " + key);
        }
        return spec;
    }

    /** The spec for a wire API key, or null if Cairn does not speak it. */
    public static ApiSpec<?, ?> forId(int apiKeyId) {
        return apiKeyId >= 0 && apiKeyId < BY_ID.length ? BY_ID[apiKeyId] : null;
    }
}
