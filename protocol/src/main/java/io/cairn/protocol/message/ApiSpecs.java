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
    public static final ApiSpec<MetadataRequest, MetadataResponse> METADATA = new ApiSpec<>(ApiKey.METADATA, Versions.range(0, 0),
            MetadataRequest.SCHEMA, MetadataResponse.SCHEMA,
            "Describes the brokers, the topics and the leader of each partition.");
    public static final ApiSpec<ApiVersionsRequest, ApiVersionsResponse> API_VERSIONS = new ApiSpec<>(ApiKey.API_VERSIONS,
            Versions.range(0, 0), ApiVersionsRequest.SCHEMA, ApiVersionsResponse.SCHEMA,
            "Tells the client which APIs and versions the broker speaks; usually the first request on a connection. "
                    + "If the broker does not speak the requested version it answers UNSUPPORTED_VERSION in error-only "
                    + "form and the client retries with version 0.");
    public static final ApiSpec<CreateTopicsRequest, CreateTopicsResponse> CREATE_TOPICS = new ApiSpec<>(ApiKey.CREATE_TOPICS,
            Versions.range(0, 0), CreateTopicsRequest.SCHEMA, CreateTopicsResponse.SCHEMA,
            "Creates topics with a partition count and topic-level configs.");

    private static final Map<ApiKey, ApiSpec<?, ?>> BY_KEY;
    private static final ApiSpec<?, ?>[] BY_ID;

    static {
        List<ApiSpec<?, ?>> all = List.of(PRODUCE, FETCH, METADATA, API_VERSIONS, CREATE_TOPICS);
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
