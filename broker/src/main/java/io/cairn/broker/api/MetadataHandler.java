package io.cairn.broker.api;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.broker.metadata.TopicMetadata;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.metadata.TopicResult;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.Log;
import io.cairn.storage.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Metadata: this broker (the only one, leader of every partition) and the topics asked for, read
 * lock-free from the {@link TopicRegistry} on the event loop.
 *
 * <ul>
 *   <li>{@code topics = null}: every live topic, internal ones included (flagged);
 *       {@code topics = []}: brokers only.</li>
 *   <li>An unknown topic is UNKNOWN_TOPIC_OR_PARTITION; an invalid name INVALID_TOPIC_EXCEPTION.
 *       With {@code allowAutoTopicCreation} and {@code auto.create.topics.enable=true} an unknown,
 *       valid, non-internal name is created with {@code num.partitions} first (on the I/O executor)
 *       and returned like any topic.</li>
 *   <li>A partition whose log is offline (damaged, or its disk failed) is STORAGE_ERROR with
 *       leader -1.</li>
 *   <li>From version 1 each partition carries its log's start and end offsets, size in bytes and
 *       segment count, read from the open log's lock-free accessors (no file is touched); -1 for a
 *       partition without an open log.</li>
 * </ul>
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest, MetadataResponse> {
    private static final UUID NO_ID = new UUID(0, 0);

    private final TopicAdmin admin;
    private final TopicRegistry registry;
    private final int nodeId;
    private final String advertisedHost;
    private final IntSupplier port;
    private final String clusterId;
    private final boolean autoCreate;
    private final Supplier<Predicate<TopicPartition>> offline;
    private final Function<TopicPartition, Optional<Log>> logs;

    /**
     * @param port    the real client port (known once the listener is bound, before any request)
     * @param offline a snapshot of which partitions' logs are offline, taken once per request
     * @param logs    the open log of a partition, for the figures of version 1
     */
    public MetadataHandler(TopicAdmin admin, int nodeId, String advertisedHost, IntSupplier port, String clusterId,
                           boolean autoCreate, Supplier<Predicate<TopicPartition>> offline,
                           Function<TopicPartition, Optional<Log>> logs) {
        this.admin = admin;
        this.registry = admin.registry();
        this.nodeId = nodeId;
        this.advertisedHost = advertisedHost;
        this.port = port;
        this.clusterId = clusterId;
        this.autoCreate = autoCreate;
        this.offline = offline;
        this.logs = logs;
    }

    @Override
    public CompletableFuture<MetadataResponse> handle(RequestContext context, MetadataRequest request) {
        View view = new View(offline.get(), context.apiVersion() >= 1);
        if (request.topics() == null) {
            List<MetadataResponse.Topic> topics = new ArrayList<>();
            List<TopicMetadata> live = new ArrayList<>(registry.liveTopics());
            live.sort(Comparator.comparing(TopicMetadata::name));
            for (TopicMetadata t : live) {
                topics.add(describe(t, view));
            }
            return CompletableFuture.completedFuture(response(topics));
        }
        List<String> names = new ArrayList<>(new LinkedHashSet<>(request.topics()));
        List<CompletableFuture<MetadataResponse.Topic>> topics = new ArrayList<>(names.size());
        for (String name : names) {
            topics.add(topic(context, name, request.allowAutoTopicCreation(), view));
        }
        return CompletableFuture.allOf(topics.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> response(topics.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<MetadataResponse.Topic> topic(RequestContext context, String name, boolean allowAutoCreate,
                                                            View view) {
        String problem = TopicNames.validate(name);
        if (problem != null) {
            return CompletableFuture.completedFuture(error(name, ErrorCode.INVALID_TOPIC_EXCEPTION));
        }
        Optional<TopicMetadata> live = registry.liveTopic(name);
        if (live.isPresent()) {
            return CompletableFuture.completedFuture(describe(live.get(), view));
        }
        if (!allowAutoCreate || !autoCreate || TopicNames.isInternal(name)) {
            return CompletableFuture.completedFuture(error(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return admin.create(name, -1, Map.of(), false, AdminErrors.requester(context) + " (auto-created by Metadata)")
                .thenApply(result -> created(name, result, view));
    }

    private MetadataResponse.Topic created(String name, TopicResult result, View view) {
        if (result.isOk()) {
            return describe(result.topic(), view);
        }
        // Someone else created it meanwhile: describe what exists.
        return registry.liveTopic(name).map(t -> describe(t, view))
                .orElseGet(() -> error(name, AdminErrors.code(result.error(), true)));
    }

    private MetadataResponse.Topic describe(TopicMetadata topic, View view) {
        List<MetadataResponse.Partition> partitions = new ArrayList<>(topic.partitionCount());
        for (int p = 0; p < topic.partitionCount(); p++) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            if (view.offline().test(tp)) {
                partitions.add(new MetadataResponse.Partition(ErrorCode.STORAGE_ERROR.code(), p, -1, -1));
            } else if (view.withLogs()) {
                partitions.add(withLog(p, logs.apply(tp)));
            } else {
                partitions.add(new MetadataResponse.Partition(ErrorCode.NONE.code(), p, nodeId, 0));
            }
        }
        return new MetadataResponse.Topic(ErrorCode.NONE.code(), topic.name(), topic.topicId(), topic.isInternal(), partitions);
    }

    private MetadataResponse.Partition withLog(int partition, Optional<Log> open) {
        if (open.isEmpty()) {
            return new MetadataResponse.Partition(ErrorCode.NONE.code(), partition, nodeId, 0);
        }
        Log log = open.get();
        // Start before end: both only grow (short of a truncation), so the pair read is ordered.
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        return new MetadataResponse.Partition(ErrorCode.NONE.code(), partition, nodeId, 0, start, end,
                log.sizeInBytes(), log.segmentCount());
    }

    private static MetadataResponse.Topic error(String name, ErrorCode error) {
        return new MetadataResponse.Topic(error.code(), name, NO_ID, name != null && TopicNames.isInternal(name),
                Collections.emptyList());
    }

    /** What one request sees: the offline partitions at its start, and whether it wants the log figures. */
    private record View(Predicate<TopicPartition> offline, boolean withLogs) {
    }

    private MetadataResponse response(List<MetadataResponse.Topic> topics) {
        return new MetadataResponse(ErrorCode.NONE.code(), null,
                List.of(new MetadataResponse.Broker(nodeId, advertisedHost, port.getAsInt(), null)), clusterId, topics);
    }
}
