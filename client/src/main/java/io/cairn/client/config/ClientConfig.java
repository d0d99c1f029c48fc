package io.cairn.client.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Parsed, validated settings of one client, read through typed accessors. Immutable.
 * Subclasses declare their keys in a {@link ConfigDef} and add typed views.
 */
public abstract class ClientConfig {
    /** Host:port pairs of brokers to bootstrap from. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Client name sent with every request and used as a metric tag. */
    public static final String CLIENT_ID = "client.id";
    /** How long to wait for a response before failing the request and closing the connection. */
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    /** First delay before reconnecting to a broker. */
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    /** Cap of the exponential reconnect delay. */
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    /** First delay before retrying a failed request. */
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    /** Cap of the exponential retry delay. */
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    /** Age after which metadata is refreshed even without an error. */
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    /** How long connecting to a broker may take. */
    public static final String SOCKET_CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";
    /** Largest response frame accepted from a broker. */
    public static final String MAX_RESPONSE_FRAME_BYTES = "max.response.frame.bytes";
    /** TCP receive buffer (SO_RCVBUF) of each broker connection; -1 leaves it to the OS. */
    public static final String RECEIVE_BUFFER_BYTES = "receive.buffer.bytes";
    /** TCP send buffer (SO_SNDBUF) of each broker connection; -1 leaves it to the OS. */
    public static final String SEND_BUFFER_BYTES = "send.buffer.bytes";

    /** The keys every client shares. */
    public static ConfigDef commonDef(String kind) {
        return new ConfigDef(kind)
                .defineRequired(BOOTSTRAP_SERVERS, ConfigType.LIST, ConfigValidator.nonEmptyList(),
                        "host:port pairs of brokers used to discover the cluster")
                .define(CLIENT_ID, ConfigType.STRING, "", "name sent with every request, tag of the client's metrics")
                .define(REQUEST_TIMEOUT_MS, ConfigType.INT, 30_000, ConfigValidator.atLeast(1),
                        "time a request may wait for its response before it fails and the connection is closed")
                .define(RECONNECT_BACKOFF_MS, ConfigType.LONG, 50L, ConfigValidator.atLeast(0),
                        "first wait before reconnecting to a broker; doubles per failure, with 20% jitter")
                .define(RECONNECT_BACKOFF_MAX_MS, ConfigType.LONG, 1_000L, ConfigValidator.atLeast(0),
                        "cap of the reconnect wait")
                .define(RETRY_BACKOFF_MS, ConfigType.LONG, 100L, ConfigValidator.atLeast(0),
                        "first wait before retrying a failed request; doubles per attempt, with 20% jitter")
                .define(RETRY_BACKOFF_MAX_MS, ConfigType.LONG, 1_000L, ConfigValidator.atLeast(0),
                        "cap of the retry wait")
                .define(METADATA_MAX_AGE_MS, ConfigType.LONG, 300_000L, ConfigValidator.atLeast(0),
                        "metadata older than this is refreshed even when nothing failed")
                .define(SOCKET_CONNECTION_SETUP_TIMEOUT_MS, ConfigType.INT, 10_000, ConfigValidator.atLeast(1),
                        "time a TCP connect to a broker may take")
                .define(MAX_RESPONSE_FRAME_BYTES, ConfigType.INT, 104_857_600, ConfigValidator.atLeast(1024),
                        "largest response frame accepted; a larger length prefix closes the connection")
                .define(RECEIVE_BUFFER_BYTES, ConfigType.INT, -1, ConfigValidator.atLeast(-1),
                        "TCP receive buffer (SO_RCVBUF) of each broker connection; -1: the OS default, which autotunes")
                .define(SEND_BUFFER_BYTES, ConfigType.INT, -1, ConfigValidator.atLeast(-1),
                        "TCP send buffer (SO_SNDBUF) of each broker connection; -1: the OS default, which autotunes");
    }

    private final Map<String, Object> values;

    /** Parses {@code given} against {@code def}. */
    protected ClientConfig(ConfigDef def, Map<String, ?> given) {
        this.values = Collections.unmodifiableMap(def.parse(given));
    }

    /** Every setting, typed, with defaults filled in. */
    public Map<String, Object> values() {
        return values;
    }

    /** An int setting. */
    public int intValue(String key) {
        return (Integer) values.get(key);
    }

    /** A long setting. */
    public long longValue(String key) {
        return (Long) values.get(key);
    }

    /** A boolean setting. */
    public boolean booleanValue(String key) {
        return (Boolean) values.get(key);
    }

    /** A string setting (null when unset without default). */
    public String stringValue(String key) {
        return (String) values.get(key);
    }

    /** A list setting. */
    public List<String> listValue(String key) {
        @SuppressWarnings("unchecked") // ConfigDef.parse converts LIST keys to List<String> only
        List<String> list = (List<String>) values.get(key);
        return list;
    }

    /** {@value #BOOTSTRAP_SERVERS}. */
    public List<String> bootstrapServers() {
        return listValue(BOOTSTRAP_SERVERS);
    }

    /** {@value #CLIENT_ID}. */
    public String clientId() {
        return stringValue(CLIENT_ID);
    }

    /** {@value #REQUEST_TIMEOUT_MS}. */
    public int requestTimeoutMs() {
        return intValue(REQUEST_TIMEOUT_MS);
    }

    /** {@value #RECONNECT_BACKOFF_MS}. */
    public long reconnectBackoffMs() {
        return longValue(RECONNECT_BACKOFF_MS);
    }

    /** {@value #RECONNECT_BACKOFF_MAX_MS}. */
    public long reconnectBackoffMaxMs() {
        return longValue(RECONNECT_BACKOFF_MAX_MS);
    }

    /** {@value #RETRY_BACKOFF_MS}. */
    public long retryBackoffMs() {
        return longValue(RETRY_BACKOFF_MS);
    }

    /** {@value #RETRY_BACKOFF_MAX_MS}. */
    public long retryBackoffMaxMs() {
        return longValue(RETRY_BACKOFF_MAX_MS);
    }

    /** {@value #METADATA_MAX_AGE_MS}. */
    public long metadataMaxAgeMs() {
        return longValue(METADATA_MAX_AGE_MS);
    }

    /** {@value #SOCKET_CONNECTION_SETUP_TIMEOUT_MS}. */
    public int connectionSetupTimeoutMs() {
        return intValue(SOCKET_CONNECTION_SETUP_TIMEOUT_MS);
    }

    /** {@value #RECEIVE_BUFFER_BYTES}. */
    public int receiveBufferBytes() {
        return intValue(RECEIVE_BUFFER_BYTES);
    }

    /** {@value #SEND_BUFFER_BYTES}. */
    public int sendBufferBytes() {
        return intValue(SEND_BUFFER_BYTES);
    }

    /** {@value #MAX_RESPONSE_FRAME_BYTES}. */
    public int maxResponseFrameBytes() {
        return intValue(MAX_RESPONSE_FRAME_BYTES);
    }
}
