package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.ConfigException;
import io.cairn.client.errors.InterruptException;
import io.cairn.client.errors.NoOffsetForPartitionException;
import io.cairn.client.errors.RetriableException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.errors.WakeupException;
import io.cairn.client.internals.ClientIds;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.internals.Signal;
import io.cairn.client.network.Backoff;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.NetworkSettings;
import io.cairn.client.serialization.ByteArrayDeserializer;
import io.cairn.client.serialization.Deserializer;
import io.cairn.protocol.wire.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads records from partitions it {@link #assign assigns} itself, or that its consumer group gives
 * it after {@link #subscribe(Collection, ConsumerRebalanceListener) subscribe} (with {@code group.id}).
 * Call {@link #poll} in a loop; each poll returns what was fetched since the last one while the next
 * fetch is already in flight. With a group, positions start at the committed offsets and
 * {@code enable.auto.commit} commits the positions of returned records (at-least-once delivery).
 *
 * <pre>{@code
 * try (CairnConsumer<String, String> consumer = CairnConsumer.builder()
 *         .bootstrapServers("localhost:7390")
 *         .keyDeserializer(Serdes.stringDeserializer())
 *         .valueDeserializer(Serdes.stringDeserializer())
 *         .autoOffsetReset(OffsetResetStrategy.EARLIEST)
 *         .build()) {
 *     consumer.assign(List.of(new TopicPartition("orders", 0)));
 *     for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
 *         System.out.println(r.offset() + ": " + r.value());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> like Kafka's consumer, not thread-safe: use it from one thread at a time
 * (concurrent use throws {@link ConcurrentModificationException}). The one exception is
 * {@link #wakeup()}, which any thread may call to make a blocked or the next call throw
 * {@link WakeupException}.
 *
 * <p><b>Timeouts:</b> every blocking call is bounded: by its {@code Duration} argument, or by
 * {@code default.api.timeout.ms} when it has none, and throws {@link TimeoutException} when the
 * deadline passes.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class CairnConsumer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnConsumer.class);
    private static final long NO_THREAD = -1L;

    private final ConsumerConfig config;
    private final String clientId;
    private final MeterRegistry registry;
    private final NetworkClient network;
    private final Metadata metadata;
    private final SubscriptionState subscriptions;
    private final Signal signal = new Signal();
    private final Fetcher<K, V> fetcher;
    private final OffsetLookup offsets;
    private final Backoff retryBackoff;
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final AtomicLong ownerThread = new AtomicLong(NO_THREAD);
    private final Map<TopicPartition, PendingReset> pendingResets = new HashMap<>();
    private final Map<TopicPartition, Long> resetRetryAtMs = new HashMap<>();
    private final Map<TopicPartition, Integer> resetFailures = new HashMap<>();
    private int ownerDepth;
    private volatile boolean closed;

    // Group support; null without group.id.
    private final CoordinatorLocator locator;
    private final GroupOffsets groupOffsets;
    private GroupMembership membership;
    private ConsumerRebalanceListener listener = ConsumerRebalanceListener.noop();
    private Set<String> subscribedTopics = Set.of();
    private Pattern subscribedPattern;
    private long nextAutoCommitMs;
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> commitCallbacks = new ConcurrentLinkedQueue<>();
    private CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committedLookup;
    private Set<TopicPartition> committedLookupFor = Set.of();
    private long committedRetryAtMs;
    private int committedFailures;

    private CairnConsumer(Builder<K, V> builder) {
        this.config = new ConsumerConfig(builder.settings);
        this.clientId = config.clientId().isEmpty() ? ClientIds.next("consumer") : config.clientId();
        this.registry = builder.registry != null ? builder.registry : new SimpleMeterRegistry();
        Tags tags = Tags.of("client.id", clientId, "client.kind", "consumer");
        this.network = new NetworkClient(NetworkSettings.of(config, clientId), "cairn-consumer-net-" + clientId,
                registry, tags);
        List<BrokerAddress> bootstrap = BrokerAddress.parseAll(config.bootstrapServers());
        this.metadata = new Metadata(network, bootstrap, config.retryBackoffMs(), config.retryBackoffMaxMs(),
                config.metadataMaxAgeMs(), false);
        metadata.addListener(signal::signal);
        this.subscriptions = new SubscriptionState(config.autoOffsetReset());
        ConsumerMetrics metrics = new ConsumerMetrics(registry, tags);
        this.fetcher = new Fetcher<>(config, network, metadata, subscriptions, builder.keyDeserializer,
                builder.valueDeserializer, signal, metrics);
        this.offsets = new OffsetLookup(network, metadata, config.requestTimeoutMs());
        this.retryBackoff = new Backoff(config.retryBackoffMs(), config.retryBackoffMaxMs());
        Gauge.builder("cairn.client.consumer.records.lag.max", this, CairnConsumer::maxLagUnsafe).tags(tags)
                .register(registry);
        String groupId = config.groupId();
        if (groupId != null) {
            this.locator = new CoordinatorLocator(groupId, network, metadata, config.requestTimeoutMs());
            this.groupOffsets = new GroupOffsets(groupId, config.groupInstanceId(), network, locator,
                    config.requestTimeoutMs());
        } else {
            this.locator = null;
            this.groupOffsets = null;
        }
        this.nextAutoCommitMs = System.currentTimeMillis() + config.autoCommitIntervalMs();
        log.info("consumer {} started: bootstrap={}", clientId, bootstrap);
    }

    /** A builder for a consumer of byte-array keys and values; set deserializers to change the types. */
    public static Builder<byte[], byte[]> builder() {
        return new Builder<>(new HashMap<>(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), null);
    }

    /**
     * Reads from exactly {@code partitions} from now on (replacing any earlier assignment). Partitions
     * kept keep their positions; new ones start at their sought position or {@code auto.offset.reset}.
     */
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            Set<TopicPartition> set = new LinkedHashSet<>(partitions);
            subscriptions.assignFromUser(set);
            fetcher.retainOnly(set);
            Set<String> topics = new LinkedHashSet<>();
            set.forEach(tp -> topics.add(tp.topic()));
            metadata.setTopics(topics);
            pendingResets.keySet().retainAll(set);
        } finally {
            release();
        }
    }

    /**
     * Joins the consumer's group ({@code group.id} required) and reads the partitions of {@code topics}
     * the coordinator assigns to this member, telling {@code listener} as they come and go.
     * Replaces an earlier subscription; cannot be mixed with {@link #assign}.
     */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup("subscribe()");
            if (topics.isEmpty()) {
                unsubscribe();
                return;
            }
            for (String t : topics) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("subscribe() with a null or blank topic: " + topics);
                }
            }
            startSubscription(listener);
            subscribedTopics = Set.copyOf(new LinkedHashSet<>(topics));
            subscribedPattern = null;
            membership.subscribe(subscribedTopics, null);
        } finally {
            release();
        }
    }

    /** {@link #subscribe(Collection, ConsumerRebalanceListener)} without a listener. */
    public void subscribe(Collection<String> topics) {
        subscribe(topics, ConsumerRebalanceListener.noop());
    }

    /**
     * Joins the group and reads the partitions of every topic whose name matches {@code pattern}
     * (evaluated by the coordinator, so topics created later join the subscription).
     */
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup("subscribe()");
            startSubscription(listener);
            subscribedTopics = Set.of();
            subscribedPattern = pattern;
            membership.subscribe(null, pattern.pattern());
        } finally {
            release();
        }
    }

    private void startSubscription(ConsumerRebalanceListener newListener) {
        if (subscriptions.mode() == SubscriptionState.Mode.USER_ASSIGNED) {
            throw new IllegalStateException("subscribe() cannot be mixed with assign(); call unsubscribe() first");
        }
        this.listener = Objects.requireNonNull(newListener, "listener");
        subscriptions.assignFromGroup(subscriptions.assignedPartitions());
        if (membership == null) {
            membership = new GroupMembership(config.groupId(), config.groupInstanceId(), config.maxPollIntervalMs(),
                    network, locator, config.requestTimeoutMs(), retryBackoff, signal, clientId);
        }
    }

    /** The subscribed topics (empty for a pattern subscription or manual assignment). */
    public Set<String> subscription() {
        acquire();
        try {
            return subscribedTopics;
        } finally {
            release();
        }
    }

    /**
     * Stops reading every partition. A group member commits (with auto-commit), tells its listener
     * the partitions are revoked, and leaves the group.
     */
    public void unsubscribe() {
        acquire();
        try {
            if (subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null) {
                long deadline = deadline(Duration.ofMillis(config.defaultApiTimeoutMs()));
                revokeAll(deadline);
                membership.leave(Math.max(1, deadline - System.currentTimeMillis()));
            }
            subscribedTopics = Set.of();
            subscribedPattern = null;
            subscriptions.unsubscribe();
            fetcher.retainOnly(Set.of());
            metadata.setTopics(Set.of());
            pendingResets.clear();
        } finally {
            release();
        }
    }

    /** The assigned partitions. */
    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return subscriptions.assignedPartitions();
        } finally {
            release();
        }
    }

    /** Makes the next poll read {@code partition} from {@code offset}. */
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("seek offset must be >= 0 for " + partition + ": " + offset);
        }
        acquire();
        try {
            subscriptions.seek(partition, offset);
            pendingResets.remove(partition);
        } finally {
            release();
        }
    }

    /** Makes the next poll read the partitions from their log start offsets (looked up lazily). */
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestResets(partitions, OffsetResetStrategy.EARLIEST);
    }

    /** Makes the next poll read the partitions from their log end offsets (looked up lazily). */
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestResets(partitions, OffsetResetStrategy.LATEST);
    }

    private void requestResets(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquire();
        try {
            Collection<TopicPartition> targets = partitions.isEmpty() ? subscriptions.assignedPartitions() : partitions;
            for (TopicPartition tp : targets) {
                subscriptions.requestReset(tp, strategy);
                pendingResets.remove(tp);
                resetRetryAtMs.remove(tp);
            }
        } finally {
            release();
        }
    }

    /** {@link #partitionsFor(String, Duration)} within {@code default.api.timeout.ms}. */
    public List<TopicPartition> partitionsFor(String topic) {
        return partitionsFor(topic, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /**
     * The partitions of {@code topic} from this consumer's metadata, refreshed as needed, as Kafka's
     * {@code partitionsFor}: an empty list when the broker says the topic does not exist. The topic
     * stays among those the consumer's metadata describes.
     *
     * @throws TimeoutException when the partitions are not known within {@code timeout}
     */
    public List<TopicPartition> partitionsFor(String topic, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        acquire();
        try {
            long deadline = deadline(timeout);
            metadata.addTopics(List.of(topic));
            boolean refreshed = false;
            while (true) {
                checkWakeup();
                Cluster cluster = metadata.cluster();
                int count = cluster.partitionCount(topic);
                if (count > 0) {
                    List<TopicPartition> out = new ArrayList<>(count);
                    for (int p = 0; p < count; p++) {
                        out.add(new TopicPartition(topic, p));
                    }
                    return out;
                }
                Cluster.TopicInfo info = cluster.topic(topic);
                if (refreshed && info != null && info.error() == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
                    return List.of();
                }
                long remaining = deadline - System.currentTimeMillis();
                if (remaining <= 0) {
                    throw new TimeoutException("partitions of topic " + topic + " not known within " + timeout.toMillis()
                            + " ms" + (info == null ? "" : " (broker says " + info.error() + ")"));
                }
                try {
                    metadata.awaitUpdate(remaining); // a refresh asked for after the topic was added
                } catch (TimeoutException e) {
                    throw new TimeoutException("partitions of topic " + topic + " not known within " + timeout.toMillis()
                            + " ms: " + e.getMessage(), e);
                }
                refreshed = true;
            }
        } finally {
            release();
        }
    }

    /** The offset of the next record poll will return for {@code partition}, within {@code default.api.timeout.ms}. */
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /**
     * The offset of the next record poll will return for {@code partition}, looking it up first if a
     * seek to beginning/end or {@code auto.offset.reset} is pending.
     *
     * @throws TimeoutException when it could not be determined within {@code timeout}
     */
    public long position(TopicPartition partition, Duration timeout) {
        acquire();
        try {
            long deadline = deadline(timeout);
            while (true) {
                if (!subscriptions.isAssigned(partition)) {
                    throw new IllegalStateException("position of " + partition + " asked but it is not assigned");
                }
                initializePositions(System.currentTimeMillis());
                Long p = subscriptions.position(partition);
                if (p != null) {
                    return p;
                }
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    throw new TimeoutException("position of " + partition + " not determined within "
                            + timeout.toMillis() + " ms");
                }
                updatePositions(now);
                long metadataDelay = metadata.maybeUpdate(now);
                if (subscriptions.position(partition) == null) {
                    awaitSignal(Math.min(deadline - now, Math.min(metadataDelay, 100)));
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Returns the records fetched for the assigned, unpaused partitions, waiting up to {@code timeout}
     * for some to arrive. Positions move past the records returned.
     *
     * @throws WakeupException when {@link #wakeup()} was called
     * @throws NoOffsetForPartitionException with {@code auto.offset.reset=none} and no valid position
     * @throws io.cairn.client.errors.CorruptRecordException when a batch fails its CRC (position stays on it)
     * @throws io.cairn.client.errors.SerializationException when a key or value cannot be deserialized
     */
    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquire();
        try {
            if (subscriptions.mode() != SubscriptionState.Mode.GROUP && subscriptions.assignedPartitions().isEmpty()) {
                throw new IllegalStateException("consumer " + clientId + " has no partitions assigned and no "
                        + "subscription; call assign() or subscribe()");
            }
            long deadline = deadline(timeout);
            do {
                checkWakeup();
                long now = System.currentTimeMillis();
                runCommitCallbacks();
                if (subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null) {
                    membership.onPoll(now);
                    CairnException fatal = membership.takeFatal();
                    if (fatal != null) {
                        throw fatal;
                    }
                    reconcile(deadline);
                }
                maybeAutoCommit(now);
                initializePositions(now);
                updatePositions(now);
                long metadataDelay = metadata.maybeUpdate(now);
                Map<TopicPartition, List<ConsumerRecord<K, V>>> records = fetcher.collect();
                if (!records.isEmpty()) {
                    fetcher.sendFetches(); // pipelining: the next fetch travels while the application works
                    return ConsumerRecords.own(records);
                }
                fetcher.sendFetches();
                long remaining = deadline - System.currentTimeMillis();
                if (remaining <= 0) {
                    break;
                }
                if (!fetcher.hasBufferedData()) {
                    awaitSignal(Math.min(remaining, Math.min(metadataDelay, config.retryBackoffMs() + 100)));
                }
            } while (System.currentTimeMillis() < deadline);
            return ConsumerRecords.empty();
        } finally {
            release();
        }
    }

    /** Starts lookups for partitions waiting for earliest/latest and applies the answers that came. */
    private void updatePositions(long now) {
        Map<TopicPartition, OffsetResetStrategy> needing = subscriptions.partitionsNeedingReset();
        Set<TopicPartition> noStrategy = new LinkedHashSet<>();
        Map<TopicPartition, Long> toSend = new LinkedHashMap<>();
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetResetStrategy> e : needing.entrySet()) {
            TopicPartition tp = e.getKey();
            PendingReset pending = pendingResets.get(tp);
            if (pending != null) {
                if (!pending.lookup.isDone()) {
                    continue;
                }
                pendingResets.remove(tp);
                applyReset(tp, pending.lookup.join().get(tp), pending.positionEpoch, now);
                if (subscriptions.position(tp) != null) {
                    continue;
                }
            }
            if (e.getValue() == OffsetResetStrategy.NONE) {
                noStrategy.add(tp);
                continue;
            }
            if (now < resetRetryAtMs.getOrDefault(tp, 0L) || subscriptions.position(tp) != null) {
                continue;
            }
            if (metadata.cluster().leader(tp) == null) {
                // Not a failure: the lookup goes out as soon as metadata names the leader (its arrival wakes us).
                metadata.addTopics(List.of(tp.topic()));
                metadata.requestUpdate();
                continue;
            }
            toSend.put(tp, e.getValue() == OffsetResetStrategy.EARLIEST ? OffsetLookup.EARLIEST : OffsetLookup.LATEST);
            epochs.put(tp, subscriptions.positionEpoch(tp));
        }
        if (!noStrategy.isEmpty()) {
            throw new NoOffsetForPartitionException(noStrategy, "no position was set by seek()");
        }
        if (toSend.isEmpty()) {
            return;
        }
        CompletableFuture<Map<TopicPartition, OffsetLookup.Listed>> f = offsets.list(toSend);
        f.whenComplete((r, e) -> signal.signal());
        for (TopicPartition tp : toSend.keySet()) {
            pendingResets.put(tp, new PendingReset(f, epochs.get(tp)));
        }
    }

    /** A lookup of earliest/latest in flight, and the position epoch it was started for. */
    private record PendingReset(CompletableFuture<Map<TopicPartition, OffsetLookup.Listed>> lookup, int positionEpoch) {
    }

    private void applyReset(TopicPartition tp, OffsetLookup.Listed listed, int positionEpoch, long now) {
        if (listed != null && listed.error() == ErrorCode.NONE && listed.offset() >= 0) {
            subscriptions.completeReset(tp, listed.offset(), positionEpoch);
            resetFailures.remove(tp);
            resetRetryAtMs.remove(tp);
            return;
        }
        int failures = resetFailures.merge(tp, 1, Integer::sum);
        resetRetryAtMs.put(tp, now + retryBackoff.delayMs(failures));
        if (listed != null && !listed.error().retriable() && listed.error() != ErrorCode.NONE) {
            throw OffsetLookup.errorFor(tp, listed);
        }
        log.debug("offset lookup for {} failed ({}); retrying", tp, listed == null ? "no answer" : listed.error());
    }

    /**
     * For each partition, the first offset whose record timestamp is at or after the given time, or
     * null when there is none; within {@code timeout}.
     */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
                                                                   Duration timeout) {
        timestamps.forEach((tp, ts) -> {
            if (ts < 0) {
                throw new IllegalArgumentException("timestamp for " + tp + " must be >= 0: " + ts);
            }
        });
        Map<TopicPartition, OffsetLookup.Listed> listed = listOffsets(timestamps, timeout);
        Map<TopicPartition, OffsetAndTimestamp> out = new LinkedHashMap<>();
        listed.forEach((tp, l) -> out.put(tp, l.offset() < 0 ? null : new OffsetAndTimestamp(l.offset(), l.timestamp())));
        return out;
    }

    /** {@link #offsetsForTimes(Map, Duration)} within {@code default.api.timeout.ms}. */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        return offsetsForTimes(timestamps, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /** The log start offset of each partition, within {@code timeout}. */
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, OffsetLookup.EARLIEST, timeout);
    }

    /** The log end offset (next offset to be written) of each partition, within {@code timeout}. */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, OffsetLookup.LATEST, timeout);
    }

    private Map<TopicPartition, Long> offsetsAt(Collection<TopicPartition> partitions, long which, Duration timeout) {
        Map<TopicPartition, Long> ask = new LinkedHashMap<>();
        partitions.forEach(tp -> ask.put(tp, which));
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        listOffsets(ask, timeout).forEach((tp, l) -> out.put(tp, l.offset()));
        return out;
    }

    private Map<TopicPartition, OffsetLookup.Listed> listOffsets(Map<TopicPartition, Long> timestamps, Duration timeout) {
        acquire();
        try {
            long deadline = deadline(timeout);
            Set<String> topics = new HashSet<>();
            timestamps.keySet().forEach(tp -> topics.add(tp.topic()));
            metadata.addTopics(topics);
            Map<TopicPartition, Long> remaining = new LinkedHashMap<>(timestamps);
            Map<TopicPartition, OffsetLookup.Listed> out = new LinkedHashMap<>();
            CairnException last = null;
            int attempt = 0;
            while (!remaining.isEmpty()) {
                checkWakeup();
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    throw new TimeoutException("offsets of " + remaining.keySet() + " not found within "
                            + timeout.toMillis() + " ms" + (last == null ? "" : ": " + last.getMessage()), last);
                }
                metadata.maybeUpdate(now);
                CompletableFuture<Map<TopicPartition, OffsetLookup.Listed>> f = offsets.list(remaining);
                f.whenComplete((r, e) -> signal.signal());
                Map<TopicPartition, OffsetLookup.Listed> result = await(f, deadline, "offsets of " + remaining.keySet());
                for (Map.Entry<TopicPartition, OffsetLookup.Listed> e : result.entrySet()) {
                    OffsetLookup.Listed l = e.getValue();
                    if (l.error() == ErrorCode.NONE) {
                        out.put(e.getKey(), l);
                        remaining.remove(e.getKey());
                    } else {
                        CairnException error = OffsetLookup.errorFor(e.getKey(), l);
                        if (!(error instanceof RetriableException)) {
                            throw error;
                        }
                        last = error;
                    }
                }
                if (!remaining.isEmpty()) {
                    attempt++;
                    awaitSignal(Math.min(retryBackoff.delayMs(attempt), Math.max(1, deadline - System.currentTimeMillis())));
                }
            }
            return out;
        } finally {
            release();
        }
    }

    private <T> T await(CompletableFuture<T> future, long deadline, String what) {
        while (!future.isDone()) {
            checkWakeup();
            long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0) {
                throw new TimeoutException(what + " not answered in time");
            }
            awaitSignal(Math.min(remaining, 100));
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CairnException c ? c : new CairnException(what + " failed", e.getCause());
        }
    }

    // ---- offsets of the group ----

    /** Commits the positions of every assigned partition (the records poll returned), within {@code default.api.timeout.ms}. */
    public void commitSync() {
        commitSync(Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /** Commits the positions of every assigned partition, within {@code timeout}. */
    public void commitSync(Duration timeout) {
        acquire();
        try {
            commitSync(consumedPositions(), timeout);
        } finally {
            release();
        }
    }

    /**
     * Commits {@code offsets} (each the next offset to read) for the group, retrying retriable failures
     * until {@code timeout}.
     *
     * @throws io.cairn.client.errors.CommitFailedException when the member was fenced or removed
     * @throws TimeoutException when the commit did not succeed in time
     */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquire();
        try {
            requireGroup("commitSync()");
            runCommitCallbacks();
            if (offsets.isEmpty()) {
                return;
            }
            commitWithRetries(offsets, deadline(timeout), timeout.toMillis());
        } finally {
            release();
        }
    }

    private void commitWithRetries(Map<TopicPartition, OffsetAndMetadata> offsets, long deadline, long timeoutMs) {
        int attempt = 0;
        while (true) {
            CompletableFuture<Void> f = groupOffsets.commit(offsets, memberIdForCommit(), memberEpochForCommit());
            f.whenComplete((r, e) -> signal.signal());
            try {
                await(f, deadline, "commit of " + offsets.keySet());
                offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
                return;
            } catch (RetriableException e) {
                if (e instanceof TimeoutException || System.currentTimeMillis() >= deadline) {
                    throw new TimeoutException("commit of " + offsets.keySet() + " not done within " + timeoutMs
                            + " ms: " + e.getMessage(), e);
                }
                attempt++;
                awaitSignal(Math.min(retryBackoff.delayMs(attempt), Math.max(1, deadline - System.currentTimeMillis())));
            }
        }
    }

    /** Commits the positions of every assigned partition without waiting; failures are logged. */
    public void commitAsync() {
        commitAsync((offsets, error) -> {
            if (error != null) {
                log.warn("asynchronous commit of {} failed: {}", offsets.keySet(), error.getMessage());
            }
        });
    }

    /** Commits the positions of every assigned partition without waiting; {@code callback} is told the outcome. */
    public void commitAsync(OffsetCommitCallback callback) {
        acquire();
        try {
            commitAsync(consumedPositions(), callback);
        } finally {
            release();
        }
    }

    /**
     * Commits {@code offsets} without waiting and without retries; {@code callback} runs on this
     * consumer's thread during a later poll, commit or close.
     */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup("commitAsync()");
            Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
            if (copy.isEmpty()) {
                commitCallbacks.add(() -> callback.onComplete(copy, null));
                return;
            }
            groupOffsets.commit(copy, memberIdForCommit(), memberEpochForCommit()).whenComplete((r, e) -> {
                commitCallbacks.add(() -> {
                    if (e == null) {
                        copy.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
                    }
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    callback.onComplete(copy, cause == null ? null
                            : cause instanceof Exception ex ? ex : new CairnException("commit failed", cause));
                });
                signal.signal();
            });
        } finally {
            release();
        }
    }

    /**
     * The group's committed offsets of {@code partitions} (null for a partition without a commit),
     * within {@code timeout}.
     */
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquire();
        try {
            requireGroup("committed()");
            long deadline = deadline(timeout);
            int attempt = 0;
            while (true) {
                CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> f = groupOffsets.fetch(partitions);
                f.whenComplete((r, e) -> signal.signal());
                try {
                    Map<TopicPartition, OffsetAndMetadata> found = await(f, deadline, "committed offsets of " + partitions);
                    Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
                    partitions.forEach(tp -> out.put(tp, found.get(tp)));
                    return out;
                } catch (RetriableException e) {
                    if (e instanceof TimeoutException || System.currentTimeMillis() >= deadline) {
                        throw new TimeoutException("committed offsets of " + partitions + " not read within "
                                + timeout.toMillis() + " ms: " + e.getMessage(), e);
                    }
                    attempt++;
                    awaitSignal(Math.min(retryBackoff.delayMs(attempt), Math.max(1, deadline - System.currentTimeMillis())));
                }
            }
        } finally {
            release();
        }
    }

    /** {@link #committed(Set, Duration)} within {@code default.api.timeout.ms}. */
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /** The member id the coordinator gave this consumer, or empty when not a member. */
    public String groupMemberId() {
        GroupMembership m = membership;
        return m == null ? "" : m.memberId();
    }

    private String memberIdForCommit() {
        return subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null ? membership.memberId() : "";
    }

    private int memberEpochForCommit() {
        return subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null ? membership.memberEpoch() : -1;
    }

    private Map<TopicPartition, OffsetAndMetadata> consumedPositions() {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        for (TopicPartition tp : subscriptions.assignedPartitions()) {
            Long p = subscriptions.position(tp);
            if (p != null) {
                out.put(tp, OffsetAndMetadata.of(p));
            }
        }
        return out;
    }

    private void maybeAutoCommit(long now) {
        if (!config.autoCommit() || now < nextAutoCommitMs) {
            return;
        }
        nextAutoCommitMs = now + config.autoCommitIntervalMs();
        Map<TopicPartition, OffsetAndMetadata> offsets = consumedPositions();
        offsets.entrySet().removeIf(e -> Long.valueOf(e.getValue().offset()).equals(lastCommitted.get(e.getKey())));
        if (!offsets.isEmpty()) {
            commitAsync(offsets, (o, error) -> {
                if (error != null) {
                    log.warn("auto-commit of {} failed: {}", o.keySet(), error.getMessage());
                }
            });
        }
    }

    private void runCommitCallbacks() {
        Runnable r;
        while ((r = commitCallbacks.poll()) != null) {
            r.run();
        }
    }

    /** Applies what the coordinator decided: lost partitions, then revocations, then new assignments. */
    private void reconcile(long deadline) {
        GroupMembership.Reconciliation r = membership.takeReconciliation();
        if (r == null) {
            return;
        }
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        RuntimeException listenerError = null;
        if (r.lost() && !owned.isEmpty()) {
            log.info("group {}: partitions lost: {}", config.groupId(), owned);
            subscriptions.assignFromGroup(Set.of());
            fetcher.retainOnly(Set.of());
            try {
                listener.onPartitionsLost(owned);
            } catch (RuntimeException e) {
                listenerError = e;
            }
            owned = Set.of();
        }
        if (r.target() == null) {
            membership.reconciled(owned);
        } else {
            Set<TopicPartition> target = r.target();
            Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
            revoked.removeAll(target);
            if (!revoked.isEmpty()) {
                log.info("group {}: revoking {}", config.groupId(), revoked);
                // A revocation must not be cut short by a short poll timeout: other members wait for it.
                commitBeforeRevocation(revoked, Math.max(deadline, System.currentTimeMillis()
                        + config.defaultApiTimeoutMs()));
                try {
                    listener.onPartitionsRevoked(revoked);
                } catch (RuntimeException e) {
                    listenerError = listenerError == null ? e : listenerError;
                }
            }
            Set<TopicPartition> added = new LinkedHashSet<>(target);
            added.removeAll(owned);
            subscriptions.assignFromGroup(target);
            fetcher.retainOnly(target);
            Set<String> topics = new LinkedHashSet<>();
            target.forEach(tp -> topics.add(tp.topic()));
            metadata.setTopics(topics);
            pendingResets.keySet().retainAll(target);
            if (!added.isEmpty()) {
                log.info("group {}: assigned {}", config.groupId(), added);
                try {
                    listener.onPartitionsAssigned(added);
                } catch (RuntimeException e) {
                    listenerError = listenerError == null ? e : listenerError;
                }
            }
            membership.reconciled(target);
        }
        if (listenerError != null) {
            throw listenerError;
        }
    }

    private void commitBeforeRevocation(Set<TopicPartition> revoked, long deadline) {
        if (!config.autoCommit()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = consumedPositions();
        offsets.keySet().retainAll(revoked);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitWithRetries(offsets, deadline, Math.max(0, deadline - System.currentTimeMillis()));
        } catch (CairnException e) {
            log.warn("group {}: commit before revoking {} failed: {}", config.groupId(), revoked, e.getMessage());
        }
    }

    /** Revokes everything (commit, listener) when leaving the group on unsubscribe or close. */
    private void revokeAll(long deadline) {
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        if (owned.isEmpty()) {
            return;
        }
        commitBeforeRevocation(owned, deadline);
        try {
            listener.onPartitionsRevoked(owned);
        } catch (RuntimeException e) {
            log.warn("group {}: onPartitionsRevoked threw: {}", config.groupId(), e.toString());
        }
        subscriptions.assignFromGroup(Set.of());
    }

    /**
     * Gives partitions without a position their starting point: with a group, its committed offset
     * (looked up asynchronously), else {@code auto.offset.reset}.
     */
    private void initializePositions(long now) {
        if (groupOffsets == null) {
            subscriptions.resetMissingPositions();
            return;
        }
        if (committedLookup != null) {
            if (!committedLookup.isDone()) {
                return;
            }
            CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> done = committedLookup;
            committedLookup = null;
            try {
                Map<TopicPartition, OffsetAndMetadata> found = done.join();
                Set<TopicPartition> stillMissing = subscriptions.partitionsWithoutPosition();
                for (TopicPartition tp : committedLookupFor) {
                    if (!stillMissing.contains(tp)) {
                        continue;
                    }
                    OffsetAndMetadata om = found.get(tp);
                    if (om != null) {
                        subscriptions.seek(tp, om.offset());
                    } else {
                        subscriptions.requestReset(tp, subscriptions.defaultReset());
                    }
                }
                committedFailures = 0;
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (!(cause instanceof RetriableException)) {
                    throw cause instanceof CairnException c ? c : new CairnException("committed offsets lookup failed", cause);
                }
                committedFailures++;
                committedRetryAtMs = now + retryBackoff.delayMs(committedFailures);
                log.debug("committed offsets lookup failed, retrying: {}", cause.getMessage());
            }
        }
        Set<TopicPartition> missing = subscriptions.partitionsWithoutPosition();
        if (!missing.isEmpty() && now >= committedRetryAtMs) {
            committedLookupFor = missing;
            committedLookup = groupOffsets.fetch(missing);
            committedLookup.whenComplete((r, e) -> signal.signal());
        }
    }

    private void requireGroup(String operation) {
        if (groupOffsets == null) {
            throw new IllegalStateException(operation + " needs a consumer group: set group.id");
        }
    }

    /** Stops fetching {@code partitions} until {@link #resume}; their positions are kept. */
    public void pause(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(subscriptions::pause);
        } finally {
            release();
        }
    }

    /** Fetches {@code partitions} again after {@link #pause}. */
    public void resume(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(subscriptions::resume);
        } finally {
            release();
        }
    }

    /** The paused partitions. */
    public Set<TopicPartition> paused() {
        acquire();
        try {
            return subscriptions.pausedPartitions();
        } finally {
            release();
        }
    }

    /** Records between the position and the high watermark last seen for {@code partition}, if known. */
    public Long currentLag(TopicPartition partition) {
        acquire();
        try {
            return subscriptions.lag(partition);
        } finally {
            release();
        }
    }

    /**
     * Makes the blocked or next blocking call of the consumer's thread throw {@link WakeupException}.
     * The only method safe to call from another thread.
     */
    public void wakeup() {
        wakeupRequested.set(true);
        signal.signal();
    }

    /** The registry holding this consumer's meters ({@code cairn.client.*}). */
    public MeterRegistry metrics() {
        return registry;
    }

    /** The client id, given or generated. */
    public String clientId() {
        return clientId;
    }

    /** Closes within {@code default.api.timeout.ms}. */
    @Override
    public void close() {
        close(Duration.ofMillis(config.defaultApiTimeoutMs()));
    }

    /**
     * Closes the consumer within {@code timeout}: a group member commits its positions (with
     * auto-commit), tells its listener its partitions are revoked and leaves the group; then
     * connections and buffered data are released.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        acquire();
        try {
            long deadline = deadline(timeout);
            try {
                if (subscriptions.mode() == SubscriptionState.Mode.GROUP && membership != null) {
                    revokeAll(deadline);
                    membership.leave(Math.max(1, deadline - System.currentTimeMillis()));
                } else if (config.autoCommit() && !consumedPositions().isEmpty()) {
                    commitBeforeRevocation(subscriptions.assignedPartitions(), deadline);
                }
                runCommitCallbacks();
            } catch (RuntimeException e) {
                log.warn("consumer {}: error while leaving the group on close: {}", clientId, e.toString());
            }
            closed = true;
            if (membership != null) {
                membership.close();
            }
            network.close();
            fetcher.close();
            log.info("consumer {} closed", clientId);
        } finally {
            release();
        }
    }

    /**
     * Test-only: dies like a killed process. The heartbeat thread stops and the connections close
     * without a LeaveGroup, without commits and without calling the rebalance listener, so the
     * coordinator only notices after the session timeout.
     */
    void crashForTesting() {
        acquire();
        try {
            closed = true;
            if (membership != null) {
                membership.close();
            }
            network.close();
            fetcher.close();
            log.info("consumer {} crashed (test)", clientId);
        } finally {
            release();
        }
    }

    private void checkWakeup() {
        if (wakeupRequested.compareAndSet(true, false)) {
            throw new WakeupException();
        }
    }

    private void awaitSignal(long ms) {
        try {
            signal.await(ms);
        } catch (InterruptedException e) {
            throw new InterruptException("consumer " + clientId + " interrupted while waiting", e);
        }
        checkWakeup();
    }

    private static long deadline(Duration timeout) {
        long now = System.currentTimeMillis();
        long ms = timeout.toMillis();
        return ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
    }

    /** Kafka's light lock: one thread at a time, re-entrant, no blocking. */
    private void acquire() {
        if (closed) {
            throw new IllegalStateException("consumer " + clientId + " is closed");
        }
        long me = Thread.currentThread().getId();
        if (ownerThread.get() != me && !ownerThread.compareAndSet(NO_THREAD, me)) {
            throw new ConcurrentModificationException("consumer " + clientId + " is not safe for multi-threaded "
                    + "access: in use by thread id " + ownerThread.get());
        }
        ownerDepth++;
    }

    private void release() {
        if (--ownerDepth == 0) {
            ownerThread.set(NO_THREAD);
        }
    }

    private double maxLagUnsafe() {
        // Read from the meter registry's thread: a racy but harmless view of the consumer thread's state.
        try {
            long max = 0;
            for (TopicPartition tp : subscriptions.assignedPartitions()) {
                Long lag = subscriptions.lag(tp);
                if (lag != null) {
                    max = Math.max(max, lag);
                }
            }
            return max;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Configures a {@link CairnConsumer}: typed setters for every setting, or {@link #config} with
     * Kafka-style keys (validated at {@link #build}). Not thread-safe.
     *
     * @param <K> key type, fixed by {@link #keyDeserializer}
     * @param <V> value type, fixed by {@link #valueDeserializer}
     */
    public static final class Builder<K, V> {
        private final Map<String, Object> settings;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private MeterRegistry registry;

        private Builder(Map<String, Object> settings, Deserializer<K> keyDeserializer,
                        Deserializer<V> valueDeserializer, MeterRegistry registry) {
            this.settings = settings;
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
            this.registry = registry;
        }

        /** Sets a setting by its Kafka-style key, e.g. {@code config("max.poll.records", 100)}. */
        public Builder<K, V> config(String key, Object value) {
            if (key.equals("key.deserializer") || key.equals("value.deserializer")) {
                throw new ConfigException(key + " is set with the builder's keyDeserializer/valueDeserializer, "
                        + "not as a config key");
            }
            settings.put(key, value);
            return this;
        }

        /** Sets every entry of {@code values} as {@link #config(String, Object)} does. */
        public Builder<K, V> config(Map<String, ?> values) {
            values.forEach(this::config);
            return this;
        }

        /** {@code bootstrap.servers}. */
        public Builder<K, V> bootstrapServers(String... hostPorts) {
            return config(ConsumerConfig.BOOTSTRAP_SERVERS, List.of(hostPorts));
        }

        /** {@code client.id}. */
        public Builder<K, V> clientId(String clientId) {
            return config(ConsumerConfig.CLIENT_ID, clientId);
        }

        /** {@code fetch.min.bytes}. */
        public Builder<K, V> fetchMinBytes(int bytes) {
            return config(ConsumerConfig.FETCH_MIN_BYTES, bytes);
        }

        /** {@code fetch.max.bytes}. */
        public Builder<K, V> fetchMaxBytes(int bytes) {
            return config(ConsumerConfig.FETCH_MAX_BYTES, bytes);
        }

        /** {@code fetch.max.wait.ms}. */
        public Builder<K, V> fetchMaxWaitMs(int ms) {
            return config(ConsumerConfig.FETCH_MAX_WAIT_MS, ms);
        }

        /** {@code max.partition.fetch.bytes}. */
        public Builder<K, V> maxPartitionFetchBytes(int bytes) {
            return config(ConsumerConfig.MAX_PARTITION_FETCH_BYTES, bytes);
        }

        /** {@code max.poll.records}. */
        public Builder<K, V> maxPollRecords(int records) {
            return config(ConsumerConfig.MAX_POLL_RECORDS, records);
        }

        /** {@code check.crcs}. */
        public Builder<K, V> checkCrcs(boolean check) {
            return config(ConsumerConfig.CHECK_CRCS, check);
        }

        /** {@code auto.offset.reset}. */
        public Builder<K, V> autoOffsetReset(OffsetResetStrategy strategy) {
            return config(ConsumerConfig.AUTO_OFFSET_RESET, strategy.name().toLowerCase(java.util.Locale.ROOT));
        }

        /** {@code default.api.timeout.ms}. */
        public Builder<K, V> defaultApiTimeoutMs(int ms) {
            return config(ConsumerConfig.DEFAULT_API_TIMEOUT_MS, ms);
        }

        /** {@code request.timeout.ms}. */
        public Builder<K, V> requestTimeoutMs(int ms) {
            return config(ConsumerConfig.REQUEST_TIMEOUT_MS, ms);
        }

        /** {@code retry.backoff.ms}. */
        public Builder<K, V> retryBackoffMs(long ms) {
            return config(ConsumerConfig.RETRY_BACKOFF_MS, ms);
        }

        /** {@code reconnect.backoff.ms}. */
        public Builder<K, V> reconnectBackoffMs(long ms) {
            return config(ConsumerConfig.RECONNECT_BACKOFF_MS, ms);
        }

        /** {@code reconnect.backoff.max.ms}. */
        public Builder<K, V> reconnectBackoffMaxMs(long ms) {
            return config(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS, ms);
        }

        /** The key deserializer; fixes the key type. */
        public <K2> Builder<K2, V> keyDeserializer(Deserializer<K2> deserializer) {
            return new Builder<>(settings, Objects.requireNonNull(deserializer, "key deserializer"), valueDeserializer,
                    registry);
        }

        /** The value deserializer; fixes the value type. */
        public <V2> Builder<K, V2> valueDeserializer(Deserializer<V2> deserializer) {
            return new Builder<>(settings, keyDeserializer, Objects.requireNonNull(deserializer, "value deserializer"),
                    registry);
        }

        /** Where the consumer's meters go; a private registry by default. */
        public Builder<K, V> meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Validates the settings and creates the consumer.
         *
         * @throws ConfigException naming unknown keys or invalid values
         */
        public CairnConsumer<K, V> build() {
            return new CairnConsumer<>(this);
        }
    }
}
