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
 * <p>Threading: the consumer thread calls every method; the network thread only enqueues completed
 * fetches and clears the per-broker in-flight mark.
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
        Map<TopicPartition, Long> buffered = bufferedPartitions();
        Cluster cluster = metadata.cluster();
        Map<Node, Map<String, List<FetchRequest.FetchPartition>>> byNode = new LinkedHashMap<>();
        Map<Node, Map<TopicPartition, int[]>> epochs = new HashMap<>();
        Set<Integer> nodesLeavingOut = new HashSet<>();
        for (TopicPartition tp : subscriptions.fetchablePartitions()) {
            Long fetchAheadFrom = buffered.get(tp);
            if (fetchAheadFrom != null && fetchAheadFrom < 0) {
                Node leader = cluster.leader(tp);
                if (leader != null) {
                    nodesLeavingOut.add(leader.id());
                }
                if (log.isTraceEnabled()) {
                    log.trace("event=fetch_skip_buffered t={} partition={}", System.nanoTime() / 1000, tp);
                }
                continue;
            }
            Node leader = cluster.leader(tp);
            if (leader == null) {
                metadata.requestUpdate();
                continue;
            }
            if (nodesWithPendingFetch.contains(leader.id())) {
                continue;
            }
            long position = fetchAheadFrom != null ? fetchAheadFrom : subscriptions.position(tp);
            byNode.computeIfAbsent(leader, n -> new LinkedHashMap<>())
                    .computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new FetchRequest.FetchPartition(tp.partition(), -1, position, -1,
                            config.maxPartitionFetchBytes()));
            epochs.computeIfAbsent(leader, n -> new HashMap<>())
                    .put(tp, new int[] {subscriptions.positionEpoch(tp)});
        }
        for (Map.Entry<Node, Map<String, List<FetchRequest.FetchPartition>>> e : byNode.entrySet()) {
            Node node = e.getKey();
            List<FetchRequest.FetchTopic> topics = new ArrayList<>();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            e.getValue().forEach((topic, parts) -> {
                topics.add(new FetchRequest.FetchTopic(topic, parts));
                parts.forEach(p -> offsets.put(new TopicPartition(topic, p.partitionIndex()), p.fetchOffset()));
            });
            // A fetch that leaves out a partition with buffered data must not long-poll: it would hold
            // this broker's one fetch slot, and the left-out partition's next records would wait for
            // it to expire (fetch.max.wait.ms) once the application has read the buffered ones.
            int maxWaitMs = nodesLeavingOut.contains(node.id()) ? 0 : config.fetchMaxWaitMs();
            FetchRequest request = new FetchRequest(maxWaitMs, config.fetchMinBytes(),
                    config.fetchMaxBytes(), FetchRequest.READ_UNCOMMITTED, topics);
            Map<TopicPartition, int[]> sentEpochs = epochs.get(node);
            nodesWithPendingFetch.add(node.id());
            metrics.onFetchRequest();
            long sentNanos = System.nanoTime();
            if (log.isTraceEnabled()) {
                log.trace("event=fetch_sent node={} t={} maxWaitMs={} partitions={}", node.id(), sentNanos / 1000,
                        maxWaitMs, offsets);
            }
            network.send(node.address(), WireRequest.of(request, FETCH_VERSION, FetchResponse.class),
                            config.requestTimeoutMs() + config.fetchMaxWaitMs())
                    .whenComplete((response, error) -> {
                        if (log.isTraceEnabled()) {
                            traceReceived(node, sentNanos, response);
                        }
                        onFetchResponse(node, offsets, sentEpochs, response, error);
                    });
        }
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

    /** Network thread: queues each partition's data for the consumer thread. */
    private void onFetchResponse(Node node, Map<TopicPartition, Long> offsets, Map<TopicPartition, int[]> epochs,
                                 FetchResponse response, Throwable error) {
        try {
            if (error != null) {
                metrics.onFetchError();
                log.debug("fetch from {} failed: {}", node, error.toString());
                metadata.requestUpdate();
                return;
            }
            ErrorCode requestError = ErrorCode.forCode(response.errorCode());
            for (FetchResponse.TopicResponse t : response.topics()) {
                for (FetchResponse.PartitionData p : t.partitions()) {
                    TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                    ByteBuf records = p.records() == null ? null : p.records().buffer();
                    Long offset = offsets.get(tp);
                    if (offset == null || closed) {
                        release(p.records());
                        continue;
                    }
                    ErrorCode code = requestError != ErrorCode.NONE ? requestError : ErrorCode.forCode(p.errorCode());
                    if (records != null) {
                        metrics.onFetchBytes(records.readableBytes());
                    }
                    completed.add(new CompletedFetch(tp, offset, epochs.get(tp)[0], code, response.errorMessage(),
                            p.highWatermark(), p.logStartOffset(), records));
                }
            }
            if (closed) {
                drainQueue();
            }
        } finally {
            nodesWithPendingFetch.remove(node.id());
            signal.signal();
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
        Map<TopicPartition, List<ConsumerRecord<K, V>>> out = new LinkedHashMap<>();
        int remaining = config.maxPollRecords();
        while (remaining > 0) {
            if (nextInLine == null || (nextInLine.isDrained() && !nextInLine.hasPendingError())) {
                if (nextInLine != null) {
                    nextInLine.release();
                    nextInLine = null;
                }
                CompletedFetch next = completed.poll();
                if (next == null) {
                    break;
                }
                if (!initialize(next)) {
                    next.release();
                    continue;
                }
                nextInLine = next;
            }
            TopicPartition tp = nextInLine.topicPartition;
            if (!isStillWanted(nextInLine)) {
                nextInLine.release();
                nextInLine = null;
                continue;
            }
            List<ConsumerRecord<K, V>> records;
            try {
                records = nextInLine.take(remaining, cursor, config.checkCrcs(), keyDeserializer, valueDeserializer);
            } catch (RuntimeException e) {
                if (!out.isEmpty()) {
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
            if (!records.isEmpty()) {
                out.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(records);
                remaining -= records.size();
            }
        }
        int count = out.values().stream().mapToInt(List::size).sum();
        if (count > 0) {
            if (log.isTraceEnabled()) {
                log.trace("event=collected t={} records={} partitions={}", System.nanoTime() / 1000, count, out.keySet());
            }
            metrics.onRecords(count);
        }
        return out;
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
