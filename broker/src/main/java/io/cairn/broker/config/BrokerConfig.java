package io.cairn.broker.config;

import static io.cairn.broker.config.BrokerConfigKeys.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The broker's effective configuration: every key of {@link BrokerConfigKeys#DEF} with its value and
 * where that value came from. Immutable; share it freely between threads.
 *
 * <p>Sources, highest precedence first: {@code --set key=value}, {@code CAIRN_*} environment
 * variables ({@code CAIRN_LOG_RETENTION_MS} sets {@code log.retention.ms}), the {@code --config}
 * properties file, the declared defaults. Every value given anywhere is validated, even one that a
 * higher source overrides, and every problem is reported at once in one {@link ConfigException}.
 */
public final class BrokerConfig {

    /** Prefix of environment variables that set configuration keys. */
    public static final String ENV_PREFIX = "CAIRN_";

    /** Extra room above {@code message.max.bytes} a frame needs for the request header. */
    public static final long FRAME_HEADROOM_BYTES = 1024;

    private record Resolved(ConfigKey<?> key, Object value, ConfigSource source) {
    }

    private final Map<String, Resolved> values;

    private BrokerConfig(Map<String, Resolved> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    // ---- loading ----------------------------------------------------------------------------

    /**
     * Loads the configuration the way the {@code cairn broker} command does.
     *
     * @param file a Java properties file, or {@code null} for none
     * @param sets {@code --set} options in the order given (later wins)
     * @param env  the process environment ({@code System.getenv()}); variables not starting with
     *             {@code CAIRN_} and the launcher's own ({@link #isLauncherVariable}) are ignored
     * @throws ConfigException listing every unknown key, invalid value and inconsistency, each with
     *     its source (file and line, environment variable or --set); or when the file cannot be read
     */
    public static BrokerConfig load(Path file, Map<String, String> sets, Map<String, String> env) throws ConfigException {
        List<Given> given = new ArrayList<>();
        if (file != null) {
            for (PropertiesFileReader.Entry e : PropertiesFileReader.read(file)) {
                given.add(new Given(e.key(), e.value(), ConfigSource.file(file, e.line())));
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (var.startsWith(ENV_PREFIX) && !isLauncherVariable(var)) {
                given.add(new Given(keyForEnvVariable(var), e.getValue(), ConfigSource.env(var)));
            }
        }
        for (Map.Entry<String, String> e : sets.entrySet()) {
            given.add(new Given(e.getKey(), e.getValue(), ConfigSource.SET));
        }
        return resolve(given);
    }

    /** All defaults. */
    public static BrokerConfig defaults() {
        return of(Map.of());
    }

    /**
     * Defaults with some keys set, for embedding and tests.
     *
     * @throws IllegalArgumentException with the {@link ConfigException} message when a key or value is invalid
     */
    public static BrokerConfig of(Map<String, String> sets) {
        try {
            return load(null, sets, Map.of());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A copy with some keys replaced as if by {@code --set}, keeping the sources of the others. */
    public BrokerConfig with(Map<String, String> sets) {
        List<Given> given = new ArrayList<>();
        for (Resolved r : values.values()) {
            if (r.source.kind() != ConfigSource.Kind.DEFAULT) {
                given.add(new Given(r.key.name(), r.key.formatObject(r.value), r.source));
            }
        }
        for (Map.Entry<String, String> e : sets.entrySet()) {
            given.add(new Given(e.getKey(), e.getValue(), ConfigSource.SET));
        }
        try {
            return resolve(given);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The launcher's own variables, which are not configuration keys: {@code CAIRN_HOME},
     * {@code CAIRN_CONFIG}, {@code CAIRN_LOG_LEVEL} and any ending in {@code _OPTS}
     * ({@code CAIRN_OPTS}, {@code CAIRN_HEAP_OPTS}, ...).
     */
    public static boolean isLauncherVariable(String name) {
        return name.equals("CAIRN_HOME") || name.equals("CAIRN_CONFIG") || name.equals("CAIRN_LOG_LEVEL")
                || (name.startsWith(ENV_PREFIX) && name.endsWith("_OPTS"));
    }

    /** {@code log.retention.ms} → {@code CAIRN_LOG_RETENTION_MS}. */
    public static String envVariableFor(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** {@code CAIRN_LOG_RETENTION_MS} → {@code log.retention.ms}. */
    static String keyForEnvVariable(String variable) {
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private record Given(String key, String raw, ConfigSource source) {
    }

    private static BrokerConfig resolve(List<Given> given) throws ConfigException {
        Map<String, Resolved> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : DEF.keys()) {
            values.put(key.name(), new Resolved(key, key.defaultValue(), ConfigSource.DEFAULT));
        }
        List<ConfigProblem> problems = new ArrayList<>();
        // Lower precedence first, so that a higher source overwrites; within one source, later wins.
        List<Given> ordered = new ArrayList<>(given);
        ordered.sort((a, b) -> Integer.compare(a.source.kind().ordinal(), b.source.kind().ordinal()));
        for (Given g : ordered) {
            Optional<ConfigKey<?>> key = DEF.key(g.key);
            if (key.isEmpty()) {
                problems.add(new ConfigProblem(g.key, g.raw, g.source, unknownKeyMessage(g.key)));
                continue;
            }
            try {
                Object value = key.get().parse(g.raw);
                values.put(g.key, new Resolved(key.get(), value, g.source));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(g.key, g.raw, g.source, e.getMessage()));
            }
        }
        BrokerConfig config = new BrokerConfig(values);
        if (problems.isEmpty()) {
            config.checkConsistency(problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private static String unknownKeyMessage(String key) {
        Optional<ConfigKey<?>> topicKey = TopicConfigKeys.DEF.key(key);
        if (topicKey.isPresent()) {
            return "unknown key; " + key + " is a topic config, its broker default is " + topicKey.get().brokerSynonym();
        }
        return "unknown key" + DEF.closest(key).map(c -> "; did you mean " + c + "?").orElse("");
    }

    /** Checks between keys, reported against the key that most likely needs changing. */
    private void checkConsistency(List<ConfigProblem> problems) {
        long maxMessage = topicDefault(TopicConfigKeys.MAX_MESSAGE_BYTES);
        if (maxMessage + FRAME_HEADROOM_BYTES > get(MAX_FRAME_BYTES)) {
            problems.add(crossProblem(MAX_FRAME_BYTES, "must be at least message.max.bytes + " + FRAME_HEADROOM_BYTES
                    + " = " + (maxMessage + FRAME_HEADROOM_BYTES) + " so a produce request with one batch of the "
                    + "largest size fits"));
        }
        if (get(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS) >= get(GROUP_CONSUMER_SESSION_TIMEOUT_MS)) {
            problems.add(crossProblem(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "must be below group.consumer.session.timeout.ms="
                    + get(GROUP_CONSUMER_SESSION_TIMEOUT_MS)));
        }
        int maxPartitions = get(MAX_PARTITIONS_PER_TOPIC);
        if (get(NUM_PARTITIONS) > maxPartitions) {
            problems.add(crossProblem(NUM_PARTITIONS, "must not exceed max.partitions.per.topic=" + maxPartitions));
        }
        if (get(OFFSETS_TOPIC_NUM_PARTITIONS) > maxPartitions) {
            problems.add(crossProblem(OFFSETS_TOPIC_NUM_PARTITIONS, "must not exceed max.partitions.per.topic=" + maxPartitions));
        }
        int port = get(PORT);
        if (port > 0 && port == get(METRICS_PORT)) {
            problems.add(crossProblem(METRICS_PORT, "must differ from port=" + port));
        }
    }

    private <T> ConfigProblem crossProblem(ConfigKey<T> key, String problem) {
        return new ConfigProblem(key.name(), key.format(get(key)), values.get(key.name()).source, problem);
    }

    // ---- generic access ---------------------------------------------------------------------

    /** The value of a broker key (including the topic-default keys of {@link BrokerConfigKeys#TOPIC_DEFAULTS}). */
    public <T> T get(ConfigKey<T> key) {
        Resolved r = values.get(key.name());
        if (r == null) {
            throw new IllegalArgumentException("not a broker config key: " + key.name());
        }
        return key.cast(r.value);
    }

    /** Where the value of a broker key came from. */
    public ConfigSource source(String key) {
        Resolved r = values.get(key);
        if (r == null) {
            throw new IllegalArgumentException("not a broker config key: " + key);
        }
        return r.source;
    }

    /** The broker default for a topic key: the value of its broker synonym ({@code log.segment.bytes} for {@code segment.bytes}). */
    public <T> T topicDefault(ConfigKey<T> topicKey) {
        Resolved r = values.get(topicKey.brokerSynonym());
        if (r == null) {
            throw new IllegalArgumentException("not a topic config key: " + topicKey.name());
        }
        return topicKey.cast(r.value);
    }

    /** Where the broker default for a topic key came from. */
    public ConfigSource topicDefaultSource(ConfigKey<?> topicKey) {
        return source(topicKey.brokerSynonym());
    }

    /** Every broker key with its effective value and source, in reference order (DescribeConfigs of the broker). */
    public List<ConfigEntry> entries() {
        List<ConfigEntry> out = new ArrayList<>(values.size());
        for (Resolved r : values.values()) {
            out.add(new ConfigEntry(r.key.name(), r.key.formatObject(r.value), r.source));
        }
        return out;
    }

    /** The resolved config of a topic without overrides. */
    public TopicConfig topicDefaults() {
        return TopicConfig.resolve(TopicOverrides.empty(), this);
    }

    // ---- typed accessors --------------------------------------------------------------------

    public String host() {
        return get(HOST);
    }

    /** {@code advertised.host}, else {@code host}, else 127.0.0.1 when host is a wildcard address. */
    public String advertisedHost() {
        String advertised = get(ADVERTISED_HOST);
        if (!advertised.isEmpty()) {
            return advertised;
        }
        String host = host();
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0") ? "127.0.0.1" : host;
    }

    public int port() {
        return get(PORT);
    }

    /** -1: endpoint disabled; 0: any free port. */
    public int metricsPort() {
        return get(METRICS_PORT);
    }

    public boolean metricsEnabled() {
        return metricsPort() >= 0;
    }

    public Path dataDir() {
        return Path.of(get(DATA_DIR));
    }

    /** {@code <data.dir>/meta}, the metadata store. */
    public Path metaDir() {
        return dataDir().resolve("meta");
    }

    public int nodeId() {
        return get(NODE_ID);
    }

    public int maxFrameBytes() {
        return Math.toIntExact(get(MAX_FRAME_BYTES));
    }

    public int maxConnections() {
        return get(MAX_CONNECTIONS);
    }

    public long connectionsMaxIdleMs() {
        return get(CONNECTIONS_MAX_IDLE_MS);
    }

    public long frameReadTimeoutMs() {
        return get(FRAME_READ_TIMEOUT_MS);
    }

    public int networkThreads() {
        return get(NETWORK_THREADS);
    }

    public int ioThreads() {
        return get(IO_THREADS);
    }

    public int maxUnsentResponseBytes() {
        return Math.toIntExact(get(MAX_UNSENT_RESPONSE_BYTES));
    }

    public int numRecoveryThreads() {
        return get(NUM_RECOVERY_THREADS);
    }

    public long logFlushSchedulerIntervalMs() {
        return get(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    public long logRetentionCheckIntervalMs() {
        return get(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    public int logCleanerThreads() {
        return get(LOG_CLEANER_THREADS);
    }

    public long logCleanerBackoffMs() {
        return get(LOG_CLEANER_BACKOFF_MS);
    }

    public boolean autoCreateTopicsEnable() {
        return get(AUTO_CREATE_TOPICS_ENABLE);
    }

    public int numPartitions() {
        return get(NUM_PARTITIONS);
    }

    public int maxPartitionsPerTopic() {
        return get(MAX_PARTITIONS_PER_TOPIC);
    }

    public int offsetsTopicNumPartitions() {
        return get(OFFSETS_TOPIC_NUM_PARTITIONS);
    }

    public long offsetsTopicSegmentBytes() {
        return get(OFFSETS_TOPIC_SEGMENT_BYTES);
    }

    public long offsetsRetentionMs() {
        return get(OFFSETS_RETENTION_MS);
    }

    public long groupConsumerSessionTimeoutMs() {
        return get(GROUP_CONSUMER_SESSION_TIMEOUT_MS);
    }

    public long groupConsumerHeartbeatIntervalMs() {
        return get(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
    }

    public long producerIdExpirationMs() {
        return get(PRODUCER_ID_EXPIRATION_MS);
    }

    public long shutdownTimeoutMs() {
        return get(SHUTDOWN_TIMEOUT_MS);
    }

    /** The keys not at their default, one {@code key=value (source)} per line, for the start-up log. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BrokerConfig{");
        String sep = "";
        for (Resolved r : values.values()) {
            if (r.source.kind() != ConfigSource.Kind.DEFAULT) {
                sb.append(sep).append(r.key.name()).append('=').append(r.key.formatObject(r.value))
                        .append(" (").append(r.source.describe()).append(')');
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
