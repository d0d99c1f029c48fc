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
import io.cairn.protocol.message.DeleteGroupsRequest;
import io.cairn.protocol.message.DeleteGroupsResponse;
import io.cairn.protocol.message.DescribeGroupsRequest;
import io.cairn.protocol.message.DescribeGroupsResponse;
import io.cairn.protocol.message.ListGroupsRequest;
import io.cairn.protocol.message.ListGroupsResponse;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.TopicPartitions;
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
import java.util.Comparator;
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
    /** Metadata with each partition's log figures (offsets, size, segments). */
    private static final int METADATA_WITH_LOGS = 1;

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
     * Describes topics: per partition its leader, log start and end offsets, size on disk and
     * segment count, in one Metadata request (version 1). Fails with
     * {@link UnknownTopicOrPartitionException} naming a topic that does not exist, and with the
     * partition's error when one of its partitions cannot be described (its log is offline, say);
     * retriable errors are retried until the default API timeout.
     */
    public CompletableFuture<Map<String, TopicDescription>> describeTopics(Collection<String> topics) {
        List<String> list = List.copyOf(new LinkedHashSet<>(topics));
        return call("describe topics " + names(list), timeoutMs ->
                send(new MetadataRequest(list, false), METADATA_WITH_LOGS, MetadataResponse.class, timeoutMs)
                        .thenApply(r -> {
                            requestLevel(r.errorCode(), r.errorMessage(), "describe topics");
                            Map<String, MetadataResponse.Topic> byName = new LinkedHashMap<>();
                            for (MetadataResponse.Topic t : r.topics()) {
                                topicIds.put(t.name(), t.topicId());
                                byName.put(t.name(), t);
                            }
                            Map<String, TopicDescription> out = new LinkedHashMap<>();
                            for (String name : list) {
                                out.put(name, describe(name, byName.get(name)));
                            }
                            return out;
                        }));
    }

    private static TopicDescription describe(String name, MetadataResponse.Topic t) {
        ErrorCode topicError = t == null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.forCode(t.errorCode());
        if (topicError == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
            throw new UnknownTopicOrPartitionException("describe topic " + name, "topic does not exist");
        }
        if (topicError != ErrorCode.NONE) {
            throw toException(topicError, "describe topic " + name, null);
        }
        List<MetadataResponse.Partition> sorted = new ArrayList<>(t.partitions());
        sorted.sort(Comparator.comparingInt(MetadataResponse.Partition::partitionIndex));
        List<PartitionDescription> parts = new ArrayList<>(sorted.size());
        long sizeBytes = 0;
        long segments = 0;
        for (MetadataResponse.Partition p : sorted) {
            String what = "describe partition " + name + "-" + p.partitionIndex();
            ErrorCode error = ErrorCode.forCode(p.errorCode());
            if (error != ErrorCode.NONE) {
                throw toException(error, what, null);
            }
            if (p.logStartOffset() < 0 || p.logEndOffset() < 0 || p.sizeInBytes() < 0 || p.segmentCount() < 0) {
                throw new RetriableException(what + ": the broker has no open log for it yet");
            }
            parts.add(new PartitionDescription(p.partitionIndex(), p.leaderId(), p.logStartOffset(), p.logEndOffset(),
                    p.sizeInBytes(), p.segmentCount()));
            sizeBytes += p.sizeInBytes();
            segments += p.segmentCount();
        }
        return new TopicDescription(name, t.topicId(), t.isInternal(), parts, sizeBytes, segments);
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

    /** Every consumer group the broker knows, in group id order. */
    public CompletableFuture<List<ConsumerGroupListing>> listGroups() {
        return call("list groups", timeoutMs -> send(new ListGroupsRequest(List.of()), ListGroupsResponse.class, timeoutMs)
                .thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "list groups");
                    List<ConsumerGroupListing> out = new ArrayList<>();
                    for (ListGroupsResponse.ListedGroup g : r.groups()) {
                        out.add(new ConsumerGroupListing(g.groupId(), g.groupState()));
                    }
                    out.sort(java.util.Comparator.comparing(ConsumerGroupListing::groupId));
                    return out;
                }));
    }

    /**
     * Describes consumer groups: state, members and their partitions, committed offsets. Fails with
     * {@link BrokerException} {@code GROUP_ID_NOT_FOUND} for a group that does not exist.
     */
    public CompletableFuture<Map<String, ConsumerGroupDescription>> describeGroups(Collection<String> groupIds) {
        List<String> ids = List.copyOf(groupIds);
        return call("describe groups " + names(ids), timeoutMs ->
                send(new DescribeGroupsRequest(ids), DescribeGroupsResponse.class, timeoutMs).thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "describe groups");
                    List<CairnException> errors = new ArrayList<>();
                    Map<String, ConsumerGroupDescription> out = new LinkedHashMap<>();
                    for (DescribeGroupsResponse.DescribedGroup g : r.groups()) {
                        if (addError(errors, g.errorCode(), "describe group " + g.groupId(), g.errorMessage())) {
                            continue;
                        }
                        List<ConsumerGroupDescription.Member> members = new ArrayList<>();
                        for (DescribeGroupsResponse.Member m : g.members()) {
                            members.add(new ConsumerGroupDescription.Member(m.memberId(), m.instanceId(), m.clientId(),
                                    m.memberEpoch(), partitionsOf(m.assignment())));
                        }
                        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
                        for (DescribeGroupsResponse.Offset o : g.offsets()) {
                            committed.put(new TopicPartition(o.topicName(), o.partitionIndex()), o.committedOffset());
                        }
                        out.put(g.groupId(), new ConsumerGroupDescription(g.groupId(), g.groupState(), g.groupEpoch(),
                                members, committed));
                    }
                    throwFirst(errors);
                    return out;
                }));
    }

    /**
     * Deletes consumer groups with their committed offsets. Fails as {@link #createTopics} does, with
     * {@link BrokerException} {@code NON_EMPTY_GROUP} for a group that still has members and
     * {@code GROUP_ID_NOT_FOUND} for one that does not exist; the groups without error were deleted.
     */
    public CompletableFuture<Void> deleteGroups(Collection<String> groupIds) {
        List<String> ids = List.copyOf(groupIds);
        return call("delete groups " + names(ids), timeoutMs ->
                send(new DeleteGroupsRequest(ids), DeleteGroupsResponse.class, timeoutMs).thenApply(r -> {
                    requestLevel(r.errorCode(), r.errorMessage(), "delete groups");
                    List<CairnException> errors = new ArrayList<>();
                    for (DeleteGroupsResponse.DeletableGroupResult g : r.results()) {
                        addError(errors, g.errorCode(), "delete group " + g.groupId(), null);
                    }
                    throwFirst(errors);
                    return null;
                }));
    }

    /**
     * Sets a consumer group's committed offsets (an offset reset: compute the offsets with
     * {@link #listOffsets} first). Refused with {@link BrokerException} {@code NON_EMPTY_GROUP} while
     * the group has members; creates the group when it does not exist.
     */
    public CompletableFuture<Void> alterGroupOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        Map<String, List<OffsetCommitRequest.OffsetCommitPartition>> byTopic = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new OffsetCommitRequest.OffsetCommitPartition(tp.partition(), offset, -1, "")));
        List<OffsetCommitRequest.OffsetCommitTopic> topics = new ArrayList<>();
        byTopic.forEach((t, ps) -> topics.add(new OffsetCommitRequest.OffsetCommitTopic(t, ps)));
        return call("alter offsets of group " + groupId, timeoutMs ->
                send(new OffsetCommitRequest(groupId, "", -1, null, topics), OffsetCommitResponse.class, timeoutMs)
                        .thenApply(r -> {
                            requestLevel(r.errorCode(), r.errorMessage(), "alter offsets of group " + groupId);
                            List<CairnException> errors = new ArrayList<>();
                            for (OffsetCommitResponse.OffsetCommitTopicResponse t : r.topics()) {
                                for (OffsetCommitResponse.OffsetCommitPartitionResponse p : t.partitions()) {
                                    addError(errors, p.errorCode(), "commit offset of group " + groupId + " for "
                                            + t.name() + "-" + p.partitionIndex(), null);
                                }
                            }
                            throwFirst(errors);
                            return null;
                        }));
    }

    private static Set<TopicPartition> partitionsOf(List<TopicPartitions> assignment) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        if (assignment != null) {
            for (TopicPartitions t : assignment) {
                for (int p : t.partitions()) {
                    out.add(new TopicPartition(t.topicName(), p));
                }
            }
        }
        return out;
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
        return send(request, VERSION, responseType, timeoutMs);
    }

    private <R extends ApiResponse> CompletableFuture<R> send(ApiRequest request, int version, Class<R> responseType,
                                                             int timeoutMs) {
        return network.send(metadata.pickAddress(), WireRequest.of(request, version, responseType), timeoutMs);
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
