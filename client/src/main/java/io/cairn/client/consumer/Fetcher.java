package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.NoOffsetForPartitionException;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.internals.Signal;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.Node;
import io.cairn.client.network.WireRequest;
import io.cairn.client.serialization.Deserializer;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.record.RecordCursor;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches records for the assigned partitions: at most one fetch in flight per broker. A partition
 * is fetched when it has nothing buffered, and also one fetch ahead: when exactly one fetch of it
 * is buffered and that one ends below the high watermark it reported, the next fetch asks for what
 * follows it, so the response is on its way while the application works through the buffered one
 * (at most two fetches per partition are buffered; a partition at the end of its log is never
 * fetched ahead, so a long poll there never holds the broker's one fetch slot for more data than
 * can come). A partition left out this way makes that broker's fetch a short one
 * ({@code maxWaitMs} 0): a long poll for the others would hold the broker's one fetch slot, and the
 * left-out partition's next records would wait for it to expire once its buffered ones are read
 * (with the sticky partitioner, all new records go to the partition just returned). Responses are
 * queued by the network thread and turned into
 * records (decompressed, CRC-checked, deserialized) on the consumer thread, at most
 * {@code max.poll.records} per poll.
 *
 * <p>When the consumer thread has taken everything fetched before, the network thread sends the next
 * fetch itself as the answer arrives (see {@code onFetchResponse}).
 *
 * <p>Threading: the consumer thread calls every method; the network thread enqueues completed
 * fetches, sends such follow-up fetches, and clears the per-broker in-flight mark. It reads the
 * consumer thread's state only through {@code bufferedWithRecords}, {@code drops} and
 * {@link SubscriptionState#changeCount}.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class Fetcher<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
    private static final int FETCH_VERSION = 0;

    private final ConsumerConfig config;
    private final NetworkClient network;
    private final Metadata metadata;
    private final SubscriptionState subscriptions;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Signal signal;
    private final ConsumerMetrics metrics;
    private final ConcurrentLinkedQueue<CompletedFetch> completed = new ConcurrentLinkedQueue<>();
    private final Set<Integer> nodesWithPendingFetch = ConcurrentHashMap.newKeySet();
    /** Queued or current fetches that carry records and are not released yet; read by the network thread. */
    private final AtomicInteger bufferedWithRecords = new AtomicInteger();
    /**
     * Bumped by the consumer thread whenever it drops a fetched partition's data or stops on a failure
     * in it (the position then differs from where the fetches that followed continued); a fetch sent
     * at one count is followed from the network thread only while the count is the same.
     */
    private volatile int drops;
    private final RecordCursor cursor = new RecordCursor();
    private CompletedFetch nextInLine;
    private volatile boolean closed;

    Fetcher(ConsumerConfig config, NetworkClient network, Metadata metadata, SubscriptionState subscriptions,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer, Signal signal, ConsumerMetrics metrics) {
        this.config = config;
        this.network = network;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.signal = signal;
        this.metrics = metrics;
    }

    /**
     * Sends a fetch to every leader without a fetch in flight, for its fetchable partitions that have
     * nothing buffered (from their position) or may be fetched ahead (from the end of the one fetch buffered).
     */
    void sendFetches() {
        Cluster cluster = metadata.cluster();
        Map<TopicPartition, Long> buffered = null;
        Map<Node, Map<TopicPartition, Long>> byNode = null;
        Map<Node, Map<TopicPartition, Integer>> epochs = null;
        Set<Integer> nodesLeavingOut = null;
        boolean leaderMissing = false;
        for (TopicPartition tp : subscriptions.fetchablePartitions()) {
            Node leader = cluster.leader(tp);
            if (leader == null) {
                metadata.requestUpdate();
                leaderMissing = true;
                continue;
            }
            if (nodesWithPendingFetch.contains(leader.id())) {
                continue; // the common case while a fetch is out: nothing to build
            }
            if (buffered == null) {
                buffered = bufferedPartitions();
                byNode = new LinkedHashMap<>();
                epochs = new HashMap<>();
                nodesLeavingOut = new HashSet<>();
            }
            Long fetchAheadFrom = buffered.get(tp);
            if (fetchAheadFrom != null && fetchAheadFrom < 0) {
                nodesLeavingOut.add(leader.id());
                if (log.isTraceEnabled()) {
                    log.trace("event=fetch_skip_buffered t={} partition={}", System.nanoTime() / 1000, tp);
                }
                continue;
            }
            long position = fetchAheadFrom != null ? fetchAheadFrom : subscriptions.position(tp);
            byNode.computeIfAbsent(leader, n -> new LinkedHashMap<>()).put(tp, position);
            epochs.computeIfAbsent(leader, n -> new HashMap<>()).put(tp, subscriptions.positionEpoch(tp));
        }
        if (byNode == null) {
            return;
        }
        int changeCount = subscriptions.changeCount();
        for (Map.Entry<Node, Map<TopicPartition, Long>> e : byNode.entrySet()) {
            Node node = e.getKey();
            // A fetch that leaves out a partition with buffered data must not long-poll: it would hold
            // this broker's one fetch slot, and the left-out partition's next records would wait for
            // it to expire (fetch.max.wait.ms) once the application has read the buffered ones.
            boolean complete = !nodesLeavingOut.contains(node.id()) && !leaderMissing;
            int maxWaitMs = nodesLeavingOut.contains(node.id()) ? 0 : config.fetchMaxWaitMs();
            nodesWithPendingFetch.add(node.id());
            send(new InFlight(node, e.getValue(), epochs.get(node), changeCount, drops, complete), maxWaitMs, false);
        }
    }

    /**
     * One fetch on its way: what it asked for, and whether it covers every fetchable partition the
     * broker leads ({@code complete}), which a follow-up from the network thread requires.
     */
    private record InFlight(Node node, Map<TopicPartition, Long> offsets, Map<TopicPartition, Integer> epochs,
                            int changeCount, int drops, boolean complete) {
    }

    /**
     * Sends {@code fetch}; the node must already be marked as having a fetch pending. From the consumer
     * thread, or from the network thread for a follow-up ({@code followUp}).
     */
    private void send(InFlight fetch, int maxWaitMs, boolean followUp) {
        Map<String, List<FetchRequest.FetchPartition>> byTopic = new LinkedHashMap<>();
        fetch.offsets.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(new FetchRequest.FetchPartition(tp.partition(), -1, offset, -1, config.maxPartitionFetchBytes())));
        List<FetchRequest.FetchTopic> topics = new ArrayList<>(byTopic.size());
        byTopic.forEach((topic, parts) -> topics.add(new FetchRequest.FetchTopic(topic, parts)));
        FetchRequest request = new FetchRequest(maxWaitMs, config.fetchMinBytes(),
                config.fetchMaxBytes(), FetchRequest.READ_UNCOMMITTED, topics);
        metrics.onFetchRequest();
        long sentNanos = System.nanoTime();
        Node node = fetch.node;
        if (log.isTraceEnabled()) {
            log.trace("event=fetch_sent node={} t={} maxWaitMs={} followUp={} partitions={}", node.id(), sentNanos / 1000,
                    maxWaitMs, followUp, fetch.offsets);
        }
        network.send(node.address(), WireRequest.of(request, FETCH_VERSION, FetchResponse.class),
                        config.requestTimeoutMs() + config.fetchMaxWaitMs())
                .whenComplete((response, error) -> {
                    if (log.isTraceEnabled()) {
                        traceReceived(node, sentNanos, response);
                    }
                    onFetchResponse(fetch, response, error);
                });
    }

    /** At TRACE, with the send's line: when a fetch came back and which partitions carried data (partition:bytes). */
    private static void traceReceived(Node node, long sentNanos, FetchResponse response) {
        long now = System.nanoTime();
        StringBuilder data = new StringBuilder();
        if (response != null) {
            for (FetchResponse.TopicResponse t : response.topics()) {
                for (FetchResponse.PartitionData p : t.partitions()) {
                    if (p.records() != null) {
                        data.append(t.name()).append('-').append(p.partitionIndex()).append(':')
                                .append(p.records().buffer().readableBytes()).append(' ');
                    }
                }
            }
        }
        log.trace("event=fetch_received node={} t={} tookUs={} data={}", node.id(), now / 1000, (now - sentNanos) / 1000,
                data);
    }

    /**
     * Network thread: queues each partition's data for the consumer thread. When the consumer thread
     * had taken everything before (nothing buffered with records), the fetch asked for every partition
     * the broker leads and nothing about the partitions changed since it was sent, the next fetch
     * goes out from here at once, each partition from the end of the data just received: the fetch
     * the consumer thread would send after reading it, without waking this thread for it and while
     * the application still works. It buffers at most one fetch more per partition, as a fetch ahead does.
     */
    private void onFetchResponse(InFlight fetch, FetchResponse response, Throwable error) {
        Map<TopicPartition, Long> next = null;
        try {
            if (error != null) {
                metrics.onFetchError();
                log.debug("fetch from {} failed: {}", fetch.node, error.toString());
                metadata.requestUpdate();
                return;
            }
            ErrorCode requestError = ErrorCode.forCode(response.errorCode());
            boolean followUp = fetch.complete && !closed && requestError == ErrorCode.NONE
                    && bufferedWithRecords.get() == 0 && subscriptions.changeCount() == fetch.changeCount
                    && drops == fetch.drops;
            if (followUp) {
                next = new LinkedHashMap<>(fetch.offsets);
            }
            for (FetchResponse.TopicResponse t : response.topics()) {
                for (FetchResponse.PartitionData p : t.partitions()) {
                    TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                    ByteBuf records = p.records() == null ? null : p.records().buffer();
                    Long offset = fetch.offsets.get(tp);
                    if (offset == null || closed) {
                        release(p.records());
                        continue;
                    }
                    ErrorCode code = requestError != ErrorCode.NONE ? requestError : ErrorCode.forCode(p.errorCode());
                    if (records != null) {
                        metrics.onFetchBytes(records.readableBytes());
                    }
                    CompletedFetch f = new CompletedFetch(tp, offset, fetch.epochs.get(tp), code, response.errorMessage(),
                            p.highWatermark(), p.logStartOffset(), records, bufferedWithRecords);
                    if (next != null) {
                        long end = f.endOffset(); // read here, off the consumer thread; cached for it
                        if (end < offset) {
                            next = null; // an error or bytes that do not parse: the consumer thread decides
                        } else {
                            next.put(tp, end);
                        }
                    }
                    completed.add(f);
                }
            }
            if (closed) {
                drainQueue();
                next = null;
            }
        } finally {
            if (next == null) {
                nodesWithPendingFetch.remove(fetch.node.id());
            }
            signal.signal();
        }
        if (next == null) {
            return;
        }
        try {
            send(new InFlight(fetch.node, next, fetch.epochs, fetch.changeCount, fetch.drops, true), config.fetchMaxWaitMs(),
                    true);
        } catch (RuntimeException e) {
            nodesWithPendingFetch.remove(fetch.node.id());
            signal.signal();
            throw e;
        }
    }

    private static void release(RecordBytes records) {
        if (records != null) {
            records.release();
        }
    }

    /**
     * Returns up to {@code max.poll.records} records from buffered fetches, advancing positions past
     * them. Fetches that no longer match the position (after a seek, a pause, or an unassign) are dropped.
     */
    Map<TopicPartition, List<ConsumerRecord<K, V>>> collect() {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = null;
        int remaining = config.maxPollRecords();
        int count = 0;
        while (remaining > 0) {
            if (nextInLine == null) {
                CompletedFetch next = completed.poll();
                if (next == null) {
                    break;
                }
                if (!initialize(next)) {
                    dropped();
                    next.release();
                    continue;
                }
                nextInLine = next;
            }
            TopicPartition tp = nextInLine.topicPartition;
            if (!isStillWanted(nextInLine)) {
                dropped();
                nextInLine.release();
                nextInLine = null;
                continue;
            }
            if (!nextInLine.hasWorkForTake()) {
                // No records (an empty partition of the response) or walked to their end: nothing to take.
                nextInLine.release();
                nextInLine = null;
                continue;
            }
            if (out == null) {
                out = new LinkedHashMap<>();
            }
            List<ConsumerRecord<K, V>> list = out.get(tp);
            boolean fresh = list == null;
            if (fresh) {
                list = new ArrayList<>(Math.min(remaining, 512));
            }
            int taken;
            try {
                taken = nextInLine.take(remaining, list, cursor, config.checkCrcs(), keyDeserializer, valueDeserializer);
            } catch (RuntimeException e) {
                dropped();
                if (count > 0) {
                    // Hand out what was read; the failure is raised again on the next poll (the position stays).
                    break;
                }
                nextInLine.release();
                nextInLine = null;
                throw e;
            }
            if (nextInLine.nextOffset() != subscriptions.position(tp)) {
                subscriptions.advance(tp, nextInLine.nextOffset());
            }
            if (taken > 0) {
                if (fresh) {
                    out.put(tp, list);
                }
                remaining -= taken;
                count += taken;
            }
            if (nextInLine.hasPendingError()) {
                dropped();
            } else if (nextInLine.isDrained()) {
                // Released at once: the network thread's follow-up fetch waits for nothing to be buffered.
                nextInLine.release();
                nextInLine = null;
            }
        }
        if (count == 0) {
            return Map.of();
        }
        if (log.isTraceEnabled()) {
            log.trace("event=collected t={} records={} partitions={}", System.nanoTime() / 1000, count, out.keySet());
        }
        metrics.onRecords(count);
        return out;
    }

    private void dropped() {
        drops = drops + 1; // one writer: the consumer thread
    }

    /** Checks a fresh fetch against the partition's state and acts on its error code. */
    private boolean initialize(CompletedFetch fetch) {
        TopicPartition tp = fetch.topicPartition;
        if (!isStillWanted(fetch)) {
            return false;
        }
        subscriptions.updateWatermarks(tp, fetch.highWatermark, fetch.logStartOffset);
        switch (fetch.error) {
            case NONE -> {
                return true;
            }
            case OFFSET_OUT_OF_RANGE -> {
                OffsetResetStrategy strategy = subscriptions.defaultReset();
                String why = "fetch offset " + fetch.fetchOffset + " is out of range (log start " + fetch.logStartOffset
                        + ", high watermark " + fetch.highWatermark + ")";
                if (strategy == OffsetResetStrategy.NONE) {
                    throw new NoOffsetForPartitionException(Set.of(tp), why);
                }
                log.info("{}: {}; resetting to {}", tp, why, strategy);
                subscriptions.requestReset(tp, strategy);
                return false;
            }
            case NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, STORAGE_ERROR,
                 REQUEST_TIMED_OUT -> {
                log.debug("fetch of {} failed with {}; refreshing metadata", tp, fetch.error);
                metadata.requestUpdate();
                return false;
            }
            default -> {
                metrics.onFetchError();
                throw io.cairn.client.errors.BrokerException.of(fetch.error, "fetch " + tp + " at offset "
                        + fetch.fetchOffset, fetch.errorMessage);
            }
        }
    }

    private boolean isStillWanted(CompletedFetch fetch) {
        TopicPartition tp = fetch.topicPartition;
        if (!subscriptions.isAssigned(tp) || !subscriptions.isFetchable(tp)) {
            return false;
        }
        if (subscriptions.positionEpoch(tp) != fetch.positionEpoch) {
            return false; // sought since the fetch was sent
        }
        Long position = subscriptions.position(tp);
        return position != null && position == fetch.nextOffset();
    }

    /** Whether records or an error wait to be collected. */
    boolean hasBufferedData() {
        return nextInLine != null && (!nextInLine.isDrained() || nextInLine.hasPendingError()) || !completed.isEmpty();
    }

    /** Whether a fetch to some broker is still out. */
    boolean hasPendingFetches() {
        return !nodesWithPendingFetch.isEmpty();
    }

    /**
     * The partitions with buffered data, each mapped to the offset to fetch ahead from, or to -1
     * when it must not be fetched now (two fetches buffered, or the one buffered reaches the high
     * watermark, has an error, is paused past, or no longer matches the position).
     */
    private Map<TopicPartition, Long> bufferedPartitions() {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (nextInLine != null && !nextInLine.isDrained()) {
            addBuffered(out, nextInLine);
        }
        for (CompletedFetch f : completed) {
            addBuffered(out, f);
        }
        return out;
    }

    private void addBuffered(Map<TopicPartition, Long> out, CompletedFetch f) {
        TopicPartition tp = f.topicPartition;
        if (out.containsKey(tp)) {
            out.put(tp, -1L); // one fetch ahead at most
            return;
        }
        long end = f.hasPendingError() ? -1 : f.endOffset();
        boolean ahead = end > f.fetchOffset && end < f.highWatermark && isStillWanted(f);
        out.put(tp, ahead ? end : -1L);
    }

    /** Drops buffered data of partitions no longer assigned. */
    void retainOnly(Set<TopicPartition> assigned) {
        if (nextInLine != null && !assigned.contains(nextInLine.topicPartition)) {
            nextInLine.release();
            nextInLine = null;
        }
        completed.removeIf(f -> {
            if (!assigned.contains(f.topicPartition)) {
                f.release();
                return true;
            }
            return false;
        });
    }

    private void drainQueue() {
        CompletedFetch f;
        while ((f = completed.poll()) != null) {
            f.release();
        }
    }

    /** Releases every buffered response; call after the network client closed. */
    @Override
    public void close() {
        closed = true;
        if (nextInLine != null) {
            nextInLine.release();
            nextInLine = null;
        }
        drainQueue();
    }
}
