package io.cairn.client.admin;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.ConfigException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.errors.UnknownTopicOrPartitionException;
import io.cairn.client.consumer.OffsetLookup;
import io.cairn.client.internals.ClientIds;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.network.Backoff;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.NetworkSettings;
import io.cairn.client.network.WireRequest;
import io.cairn.protocol.message.AlterConfigsRequest;
import io.cairn.protocol.message.AlterConfigsResponse;
import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiResponse;
import io.cairn.protocol.message.ConfigResources;
import io.cairn.protocol.message.CreatePartitionsRequest;
import io.cairn.protocol.message.CreatePartitionsResponse;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.message.CreateTopicsResponse;
import io.cairn.protocol.message.DeleteTopicsRequest;
import io.cairn.protocol.message.DeleteTopicsResponse;
import io.cairn.protocol.message.DescribeConfigsRequest;
import io.cairn.protocol.message.DescribeConfigsResponse;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages topics and their settings: create, delete, list and describe topics, add partitions, read
 * and change settings, look up offsets. Every method returns at once with a future completed on the
 * admin's own thread (never the network thread), within {@code default.api.timeout.ms}: retriable
 * failures (lost connections, leaders moving) are retried with backoff until then, after which the
 * future fails with {@link TimeoutException} naming the last error. Broker errors fail the future
 * with a {@link BrokerException} named by the error code.
 *
 * <pre>{@code
 * try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers("localhost:7390").build()) {
 *     admin.createTopics(List.of(NewTopic.of("orders", 6))).join();
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class CairnAdmin implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnAdmin.class);
    private static final int VERSION = 0;

    private final AdminConfig config;
    private final String clientId;
    private final MeterRegistry registry;
    private final NetworkClient network;
    private final Metadata metadata;
    private final OffsetLookup offsets;
    private final Backoff retryBackoff;
    private final ScheduledExecutorService executor;
    private final List<BrokerAddress> bootstrap;
    private final Map<String, UUID> topicIds = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private CairnAdmin(Builder builder) {
        this.config = new AdminConfig(builder.settings);
        this.clientId = config.clientId().isEmpty() ? ClientIds.next("admin") : config.clientId();
        this.registry = builder.registry != null ? builder.registry : new SimpleMeterRegistry();
        Tags tags = Tags.of("client.id", clientId, "client.kind", "admin");
        this.network = new NetworkClient(NetworkSettings.of(config, clientId), "cairn-admin-net-" + clientId,
                registry, tags);
        this.bootstrap = BrokerAddress.parseAll(config.bootstrapServers());
        this.metadata = new Metadata(network, bootstrap, config.retryBackoffMs(), config.retryBackoffMaxMs(),
                config.metadataMaxAgeMs(), false);
        this.offsets = new OffsetLookup(network, null, config.requestTimeoutMs());
        this.retryBackoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-admin-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    /** A builder; {@code bootstrapServers} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates topics. Fails with the first topic's error (e.g. {@link io.cairn.client.errors.TopicExistsException})
     * when any topic could not be created, the others' errors attached as suppressed; the topics
     * without error were created.
     */
    public CompletableFuture<Void> createTopics(Collection<NewTopic> topics) {
        List<CreateTopicsRequest.CreatableTopic> creatable = new ArrayList<>();
        for (NewTopic t : topics) {
            List<CreateTopicsRequest.Config> configs = new ArrayList<>();
            t.configs().forEach((k, v) -> configs.add(new CreateTopicsRequest.Config(k, v)));
            creatable.add(new CreateTopicsRequest.CreatableTopic(t.name(), t.numPartitions(), t.replicationFactor(),
                    configs));
        }
        return call("create topics " + names(topics.stream().map(NewTopic::name).toList()), timeoutMs ->
                send(new CreateTopicsRequest(creatable, timeoutMs, false), CreateTopicsResponse.class, timeoutMs)
                        .thenApply(r -> {
                            requestLevel(r.errorCode(), r.errorMessage(), "create topics");
                            List<CairnException> errors = new ArrayList<>();
                            for (CreateTopicsResponse.TopicResult t : r.topics()) {
                                addError(errors, t.errorCode(), "create topic " + t.name(), t.errorMessage());
                            }
                            throwFirst(errors);
                            return null;
                        }));
    }

    /** Deletes topics; fails as {@link #createTopics} does, e.g. with {@link UnknownTopicOrPartitionException}. */
    public CompletableFuture<Void> deleteTopics(Collection<String> topics) {
        List<String> list = List.copyOf(topics);
        return call("delete topics " + names(list), timeoutMs ->
                send(new DeleteTopicsRequest(list, timeoutMs), DeleteTopicsResponse.class, timeoutMs).thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "delete topics");
                    List<CairnException> errors = new ArrayList<>();
                    for (DeleteTopicsResponse.DeletableTopicResult t : r.topics()) {
                        addError(errors, t.errorCode(), "delete topic " + t.name(), t.errorMessage());
                    }
                    throwFirst(errors);
                    return null;
                }));
    }

    /** The names of the cluster's topics, internal ones (such as {@code __consumer_offsets}) excluded. */
    public CompletableFuture<Set<String>> listTopics() {
        return listTopics(false);
    }

    /** The names of the cluster's topics, sorted. */
    public CompletableFuture<Set<String>> listTopics(boolean includeInternal) {
        return call("list topics", timeoutMs -> metadataFor(null, timeoutMs).thenApply(cluster -> {
            Set<String> out = new TreeSet<>();
            for (Cluster.TopicInfo t : cluster.topics()) {
                if (t.error() == ErrorCode.NONE && (includeInternal || !t.internal())) {
                    out.add(t.name());
                }
            }
            return out;
        }));
    }

    /**
     * Describes topics: partitions, leaders, start and end offsets. Fails with
     * {@link UnknownTopicOrPartitionException} naming a topic that does not exist. Size on disk and
     * segment count are -1: the protocol does not carry them yet.
     */
    public CompletableFuture<Map<String, TopicDescription>> describeTopics(Collection<String> topics) {
        List<String> list = List.copyOf(new LinkedHashSet<>(topics));
        return call("describe topics " + names(list), timeoutMs -> metadataFor(list, timeoutMs).thenCompose(cluster -> {
            Map<TopicPartition, Long> earliest = new LinkedHashMap<>();
            Map<TopicPartition, Long> latest = new LinkedHashMap<>();
            for (String name : list) {
                Cluster.TopicInfo t = cluster.topic(name);
                if (t == null || t.error() == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                    throw new UnknownTopicOrPartitionException("describe topic " + name, "topic does not exist");
                }
                if (t.error() != ErrorCode.NONE) {
                    throw toException(t.error(), "describe topic " + name, null);
                }
                for (Cluster.PartitionInfo p : t.partitions()) {
                    earliest.put(p.topicPartition(), OffsetLookup.EARLIEST);
                    latest.put(p.topicPartition(), OffsetLookup.LATEST);
                }
            }
            CompletableFuture<Map<TopicPartition, OffsetLookup.Listed>> starts = offsets.list(cluster, earliest);
            CompletableFuture<Map<TopicPartition, OffsetLookup.Listed>> ends = offsets.list(cluster, latest);
            return starts.thenCombine(ends, (s, e) -> {
                Map<String, TopicDescription> out = new LinkedHashMap<>();
                for (String name : list) {
                    Cluster.TopicInfo t = cluster.topic(name);
                    List<PartitionDescription> parts = new ArrayList<>();
                    for (Cluster.PartitionInfo p : t.partitions()) {
                        TopicPartition tp = p.topicPartition();
                        parts.add(new PartitionDescription(tp.partition(), p.leaderId(), offsetOf(tp, s.get(tp)),
                                offsetOf(tp, e.get(tp))));
                    }
                    out.put(name, new TopicDescription(name, topicIds.getOrDefault(name, null), t.internal(), parts,
                            -1, -1));
                }
                return out;
            });
        }));
    }

    /** Raises partition counts: {@code newTotals} maps a topic to its new total number of partitions. */
    public CompletableFuture<Void> createPartitions(Map<String, Integer> newTotals) {
        List<CreatePartitionsRequest.CreatePartitionsTopic> list = new ArrayList<>();
        newTotals.forEach((t, n) -> list.add(new CreatePartitionsRequest.CreatePartitionsTopic(t, n)));
        return call("create partitions for " + names(newTotals.keySet()), timeoutMs ->
                send(new CreatePartitionsRequest(list, timeoutMs, false), CreatePartitionsResponse.class, timeoutMs)
                        .thenApply(r -> {
                            requestLevel(r.errorCode(), r.errorMessage(), "create partitions");
                            List<CairnException> errors = new ArrayList<>();
                            for (CreatePartitionsResponse.CreatePartitionsTopicResult t : r.results()) {
                                addError(errors, t.errorCode(), "create partitions for topic " + t.name(),
                                        t.errorMessage());
                            }
                            throwFirst(errors);
                            return null;
                        }));
    }

    /** The settings of each resource, by key. */
    public CompletableFuture<Map<ConfigResource, Map<String, ConfigEntry>>> describeConfigs(
            Collection<ConfigResource> resources) {
        List<DescribeConfigsRequest.DescribeConfigsResource> list = new ArrayList<>();
        for (ConfigResource r : resources) {
            list.add(new DescribeConfigsRequest.DescribeConfigsResource(typeCode(r.type()), r.name(), null));
        }
        return call("describe configs of " + resources, timeoutMs ->
                send(new DescribeConfigsRequest(list, true), DescribeConfigsResponse.class, timeoutMs).thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "describe configs");
                    Map<ConfigResource, Map<String, ConfigEntry>> out = new LinkedHashMap<>();
                    List<CairnException> errors = new ArrayList<>();
                    for (DescribeConfigsResponse.DescribeConfigsResult result : r.results()) {
                        ConfigResource resource = new ConfigResource(typeOf(result.resourceType()), result.resourceName());
                        if (addError(errors, result.errorCode(), "describe configs of " + resource,
                                result.errorMessage())) {
                            continue;
                        }
                        Map<String, ConfigEntry> entries = new LinkedHashMap<>();
                        for (DescribeConfigsResponse.DescribeConfigsEntry e : result.configs()) {
                            entries.put(e.name(), new ConfigEntry(e.name(), e.value(), e.isDefault(), e.readOnly(),
                                    e.isSensitive(), e.documentation()));
                        }
                        out.put(resource, entries);
                    }
                    throwFirst(errors);
                    return out;
                }));
    }

    /** Changes settings; fails with {@link io.cairn.client.errors.InvalidConfigurationException} naming a bad key or value. */
    public CompletableFuture<Void> alterConfigs(Map<ConfigResource, ? extends Collection<AlterConfigOp>> changes) {
        List<AlterConfigsRequest.AlterConfigsResource> list = new ArrayList<>();
        changes.forEach((resource, ops) -> {
            List<AlterConfigsRequest.AlterableConfig> configs = new ArrayList<>();
            for (AlterConfigOp op : ops) {
                configs.add(new AlterConfigsRequest.AlterableConfig(op.name(),
                        op.type() == AlterConfigOp.OpType.SET ? AlterConfigsRequest.OP_SET : AlterConfigsRequest.OP_DELETE,
                        op.value()));
            }
            list.add(new AlterConfigsRequest.AlterConfigsResource(typeCode(resource.type()), resource.name(), configs));
        });
        return call("alter configs of " + changes.keySet(), timeoutMs ->
                send(new AlterConfigsRequest(list, false), AlterConfigsResponse.class, timeoutMs).thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "alter configs");
                    List<CairnException> errors = new ArrayList<>();
                    for (AlterConfigsResponse.AlterConfigsResourceResponse rr : r.responses()) {
                        addError(errors, rr.errorCode(), "alter configs of "
                                + new ConfigResource(typeOf(rr.resourceType()), rr.resourceName()), rr.errorMessage());
                    }
                    throwFirst(errors);
                    return null;
                }));
    }

    /** Looks up offsets: earliest, latest, or the first at or after a timestamp, per partition. */
    public CompletableFuture<Map<TopicPartition, ListedOffset>> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        specs.forEach((tp, spec) -> timestamps.put(tp, spec.timestamp()));
        List<String> topics = timestamps.keySet().stream().map(TopicPartition::topic).distinct().toList();
        return call("list offsets of " + timestamps.keySet(), timeoutMs -> metadataFor(topics, timeoutMs)
                .thenCompose(cluster -> offsets.list(cluster, timestamps))
                .thenApply(result -> {
                    Map<TopicPartition, ListedOffset> out = new LinkedHashMap<>();
                    for (TopicPartition tp : timestamps.keySet()) {
                        OffsetLookup.Listed l = result.get(tp);
                        if (l.error() != ErrorCode.NONE) {
                            throw OffsetLookup.errorFor(tp, l);
                        }
                        out.put(tp, new ListedOffset(l.offset(), l.timestamp()));
                    }
                    return out;
                }));
    }

    /** The registry holding this client's meters. */
    public MeterRegistry metrics() {
        return registry;
    }

    /** Fails pending operations with {@link ClientClosedException} and releases threads and connections. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        network.close();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("admin client {} closed", clientId);
    }

    // ---- plumbing ----

    private CompletableFuture<Cluster> metadataFor(List<String> topics, int timeoutMs) {
        return send(new MetadataRequest(topics, false), MetadataResponse.class, timeoutMs).thenApply(r -> {
            requestLevel(r.errorCode(), r.errorMessage(), "metadata");
            for (MetadataResponse.Topic t : r.topics()) {
                topicIds.put(t.name(), t.topicId());
            }
            return Cluster.from(r, bootstrap, System.currentTimeMillis());
        });
    }

    private <R extends ApiResponse> CompletableFuture<R> send(ApiRequest request, Class<R> responseType, int timeoutMs) {
        return network.send(metadata.pickAddress(), WireRequest.of(request, VERSION, responseType), timeoutMs);
    }

    /**
     * Runs {@code attempt} (given the request timeout to use) until it succeeds, fails for good, or the
     * operation's deadline passes; completes the returned future on the admin thread.
     */
    private <T> CompletableFuture<T> call(String what, Function<Integer, CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new ClientClosedException("admin client closed; " + what + " not run"));
            return result;
        }
        long deadline = System.currentTimeMillis() + config.defaultApiTimeoutMs();
        executor.execute(() -> attempt(what, attempt, result, deadline, 1));
        return result;
    }

    private <T> void attempt(String what, Function<Integer, CompletableFuture<T>> attempt, CompletableFuture<T> result,
                             long deadline, int n) {
        long remaining = deadline - System.currentTimeMillis();
        int timeoutMs = (int) Math.max(1, Math.min(config.requestTimeoutMs(), remaining));
        CompletableFuture<T> f;
        try {
            f = attempt.apply(timeoutMs);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((value, error) -> {
            Runnable finish = () -> {
                if (error == null) {
                    result.complete(value);
                    return;
                }
                Throwable cause = unwrap(error);
                long now = System.currentTimeMillis();
                boolean retriable = cause instanceof RetriableException && !(cause instanceof ClientClosedException);
                if (retriable && now < deadline && !closed) {
                    metadata.requestUpdate();
                    long delay = Math.min(retryBackoff.delayMs(n), deadline - now);
                    log.debug("{} failed (attempt {}), retrying in {} ms: {}", what, n, delay, cause.getMessage());
                    executor.schedule(() -> attempt(what, attempt, result, deadline, n + 1), delay, TimeUnit.MILLISECONDS);
                } else if (retriable && !closed) {
                    result.completeExceptionally(new TimeoutException(what + " did not complete within "
                            + config.defaultApiTimeoutMs() + " ms (default.api.timeout.ms); last error: "
                            + cause.getMessage(), cause));
                } else if (closed) {
                    result.completeExceptionally(new ClientClosedException("admin client closed during " + what));
                } else {
                    result.completeExceptionally(cause);
                }
            };
            try {
                executor.execute(finish);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.completeExceptionally(new ClientClosedException("admin client closed during " + what));
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void requestLevel(short code, String message, String what) {
        ErrorCode error = ErrorCode.forCode(code);
        if (error != ErrorCode.NONE) {
            throw toException(error, what, message);
        }
    }

    /** Adds the exception for a non-NONE code; returns whether there was one. */
    private static boolean addError(List<CairnException> errors, short code, String context, String message) {
        ErrorCode error = ErrorCode.forCode(code);
        if (error == ErrorCode.NONE) {
            return false;
        }
        errors.add(toException(error, context, message));
        return true;
    }

    /**
     * The exception for a per-resource error: retriable codes (a leader or coordinator not ready, a
     * timeout) are retried; an unknown topic is final for admin operations, as in Kafka.
     */
    private static CairnException toException(ErrorCode error, String context, String message) {
        BrokerException e = BrokerException.of(error, context, message);
        if (error.retriable() && error != ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
            return new RetriableException(e.getMessage(), e);
        }
        return e;
    }

    private static void throwFirst(List<CairnException> errors) {
        if (errors.isEmpty()) {
            return;
        }
        CairnException first = errors.get(0);
        for (int i = 1; i < errors.size(); i++) {
            first.addSuppressed(errors.get(i));
        }
        throw first;
    }

    private static long offsetOf(TopicPartition tp, OffsetLookup.Listed listed) {
        if (listed == null || listed.error() != ErrorCode.NONE) {
            throw OffsetLookup.errorFor(tp, listed == null ? new OffsetLookup.Listed(ErrorCode.UNKNOWN_SERVER_ERROR, -1, -1)
                    : listed);
        }
        return listed.offset();
    }

    private static byte typeCode(ConfigResource.Type type) {
        return type == ConfigResource.Type.TOPIC ? ConfigResources.TYPE_TOPIC : ConfigResources.TYPE_BROKER;
    }

    private static ConfigResource.Type typeOf(byte code) {
        return code == ConfigResources.TYPE_BROKER ? ConfigResource.Type.BROKER : ConfigResource.Type.TOPIC;
    }

    private static String names(Collection<String> names) {
        return String.join(", ", names);
    }

    /** Configures a {@link CairnAdmin}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Object> settings = new HashMap<>();
        private MeterRegistry registry;

        private Builder() {
        }

        /** Sets a setting by its Kafka-style key. */
        public Builder config(String key, Object value) {
            settings.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Sets every entry of {@code values}. */
        public Builder config(Map<String, ?> values) {
            values.forEach(this::config);
            return this;
        }

        /** {@code bootstrap.servers}. */
        public Builder bootstrapServers(String... hostPorts) {
            return config(AdminConfig.BOOTSTRAP_SERVERS, List.of(hostPorts));
        }

        /** {@code client.id}. */
        public Builder clientId(String clientId) {
            return config(AdminConfig.CLIENT_ID, clientId);
        }

        /** {@code default.api.timeout.ms}. */
        public Builder defaultApiTimeoutMs(int ms) {
            return config(AdminConfig.DEFAULT_API_TIMEOUT_MS, ms);
        }

        /** {@code request.timeout.ms}. */
        public Builder requestTimeoutMs(int ms) {
            return config(AdminConfig.REQUEST_TIMEOUT_MS, ms);
        }

        /** {@code retry.backoff.ms}. */
        public Builder retryBackoffMs(long ms) {
            return config(AdminConfig.RETRY_BACKOFF_MS, ms);
        }

        /** Where the client's meters go; a private registry by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Validates the settings and creates the client.
         *
         * @throws ConfigException naming unknown keys or invalid values
         */
        public CairnAdmin build() {
            return new CairnAdmin(this);
        }
    }
}
