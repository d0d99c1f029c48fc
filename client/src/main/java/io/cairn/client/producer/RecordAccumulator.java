package io.cairn.client.producer;

import io.cairn.client.TopicPartition;
import io.cairn.client.internals.Cluster;
import io.cairn.client.network.Node;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects records into batches, one open batch per partition, until the sender drains them: a batch
 * is ready when it is full ({@code batch.size}), has waited {@code linger.ms}, or when a flush, a
 * close, or a full {@code buffer.memory} asks for everything now.
 *
 * <p>Thread-safety: application threads append; the sender, on the network thread, checks readiness
 * and drains. Each partition's deque is guarded by its own monitor, held only to append one record or
 * move batches; memory is reserved outside it (Kafka's {@code RecordAccumulator} pattern). Batches
 * drained belong to the sender.
 */
final class RecordAccumulator {
    /**
     * Told when a partition turns sendable for the sender: its first batch began (the linger clock
     * starts), or its head batch filled up. Called on the appending thread, outside the partition's
     * lock; appends to a partition that is already sendable do not call it.
     */
    interface SendableListener {
        void onSendable(TopicPartition tp);
    }

    /** Which brokers have sendable data, and when to look again. */
    record ReadyCheck(Set<Node> readyNodes, long nextCheckDelayMs, Set<String> unknownLeaderTopics) {
    }

    private final int batchSize;
    private final long lingerMs;
    private final CompressionType compression;
    private final BufferPool pool;
    private final ConcurrentMap<TopicPartition, Deque<ProducerBatch>> batches = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<RecordBatchBuilder> freeBuilders = new ArrayDeque<>();
    private final int maxFreeBuilders;
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private final AtomicInteger appendsInProgress = new AtomicInteger();
    private final SendableListener sendable;
    private final Map<Integer, Integer> drainCursor = new HashMap<>();
    private volatile boolean closing;

    RecordAccumulator(int batchSize, long lingerMs, CompressionType compression, BufferPool pool,
                      SendableListener sendable) {
        this.sendable = sendable;
        this.batchSize = Math.max(batchSize, RecordBatchDescriptor.HEADER_SIZE + 1);
        this.lingerMs = lingerMs;
        this.compression = compression;
        this.pool = pool;
        this.maxFreeBuilders = (int) Math.min(1024, Math.max(1, pool.totalBytes() / this.batchSize));
    }

    /**
     * Appends a record to its partition's open batch, starting a new batch (and reserving its memory,
     * blocking up to {@code maxBlockMs}) when there is none or it is full. Tells the
     * {@link SendableListener} when the partition turns sendable: the sender is woken once per batch,
     * not once per record.
     *
     * @param tp the partition; the same instance for every append to it saves a lookup's allocation
     * @return the record's future
     */
    CompletableFuture<RecordMetadata> append(TopicPartition tp, long timestamp, byte[] key, byte[] value,
                                             Header[] headers, Callback callback, int estimatedRecordBytes,
                                             long maxBlockMs, long nowMs) {
        appendsInProgress.incrementAndGet();
        int reserved = 0;
        try {
            Deque<ProducerBatch> deque = batches.get(tp);
            if (deque == null) {
                deque = batches.computeIfAbsent(tp, k -> new ArrayDeque<>());
            }
            CompletableFuture<RecordMetadata> future;
            boolean turnedSendable;
            synchronized (deque) {
                future = tryAppend(deque, timestamp, key, value, headers, callback);
                turnedSendable = future != null && filledLoneBatch(deque);
            }
            if (future != null) {
                if (turnedSendable) {
                    sendable.onSendable(tp);
                }
                return future;
            }
            int size = Math.max(batchSize, estimatedRecordBytes + RecordBatchDescriptor.HEADER_SIZE);
            pool.reserve(size, maxBlockMs);
            reserved = size;
            synchronized (deque) {
                if (closing) {
                    throw new IllegalStateException("producer closed while appending to " + tp);
                }
                future = tryAppend(deque, timestamp, key, value, headers, callback);
                if (future != null) {
                    // Another thread opened a batch meanwhile; the finally gives our memory back.
                    turnedSendable = filledLoneBatch(deque);
                } else {
                    ProducerBatch batch = new ProducerBatch(tp, takeBuilder(), batchSize, size, nowMs,
                            estimatedRecordBytes - RecordBatchDescriptor.HEADER_SIZE);
                    future = batch.tryAppend(timestamp, key, value, headers, callback);
                    // Sendable news: the first batch starts the linger clock; a second means the head is
                    // closed. Behind two or more, the sender already knows this partition has a full batch.
                    turnedSendable = deque.size() <= 1;
                    deque.addLast(batch);
                    incomplete.add(batch);
                    reserved = 0;
                }
            }
            if (turnedSendable) {
                sendable.onSendable(tp);
            }
            return future;
        } finally {
            if (reserved > 0) {
                pool.release(reserved);
            }
            appendsInProgress.decrementAndGet();
        }
    }

    /** Whether the last append filled the partition's only batch. Under the deque's lock. */
    private static boolean filledLoneBatch(Deque<ProducerBatch> deque) {
        return deque.size() == 1 && deque.peekLast().isFull();
    }

    private static CompletableFuture<RecordMetadata> tryAppend(Deque<ProducerBatch> deque, long timestamp, byte[] key,
                                                               byte[] value, Header[] headers, Callback callback) {
        ProducerBatch last = deque.peekLast();
        if (last == null || last.hasSequence()) {
            return null;
        }
        return last.tryAppend(timestamp, key, value, headers, callback);
    }

    private RecordBatchBuilder takeBuilder() {
        RecordBatchBuilder b;
        synchronized (freeBuilders) {
            b = freeBuilders.pollFirst();
        }
        if (b == null) {
            b = new RecordBatchBuilder(batchSize + 64);
        }
        b.reset();
        b.compressionType(compression);
        return b;
    }

    /** Gives a completed batch's memory back. Network thread (the sender). */
    void deallocate(ProducerBatch batch) {
        incomplete.remove(batch);
        RecordBatchBuilder b = batch.builder();
        // Builders that grew for an outsized record are dropped rather than pinned in the pool.
        if (batch.sizeInBytes() <= 2 * batchSize) {
            synchronized (freeBuilders) {
                if (freeBuilders.size() < maxFreeBuilders) {
                    freeBuilders.addLast(b);
                }
            }
        }
        pool.release(batch.reservedBytes);
    }

    /** Decides which leaders have a batch worth sending now. Network thread (the sender). */
    ReadyCheck ready(Cluster cluster, long nowMs) {
        Set<Node> ready = new HashSet<>();
        Set<String> unknown = new HashSet<>();
        long nextDelay = Long.MAX_VALUE;
        boolean exhausted = pool.waiterCount() > 0;
        boolean flushing = flushesInProgress.get() > 0 || closing;
        for (Map.Entry<TopicPartition, Deque<ProducerBatch>> e : batches.entrySet()) {
            Deque<ProducerBatch> deque = e.getValue();
            synchronized (deque) {
                ProducerBatch head = deque.peekFirst();
                if (head == null) {
                    continue;
                }
                Node leader = cluster.leader(e.getKey());
                if (leader == null) {
                    unknown.add(e.getKey().topic());
                    continue;
                }
                if (ready.contains(leader)) {
                    continue;
                }
                boolean backingOff = head.attempts > 0 && nowMs < head.retryAtMs;
                long waitedMs = nowMs - (head.attempts > 0 ? head.retryAtMs : head.createdMs);
                long timeToWait = head.attempts > 0 ? 0 : lingerMs;
                boolean full = deque.size() > 1 || head.isFull();
                boolean sendable = full || waitedMs >= timeToWait || exhausted || flushing;
                if (sendable && !backingOff) {
                    ready.add(leader);
                } else {
                    long left = backingOff ? head.retryAtMs - nowMs : timeToWait - waitedMs;
                    nextDelay = Math.min(nextDelay, Math.max(1, left));
                }
            }
        }
        return new ReadyCheck(ready, nextDelay, unknown);
    }

    /** Decides, for the batches of a partition, whether they may be drained now. Network thread (the sender). */
    interface DrainGate {
        /** Whether {@code head} may go now; may stamp it (assign a sequence) when it returns true. */
        boolean admit(ProducerBatch head);

        /**
         * Whether {@code next}, the batch behind {@code previous} in its partition's queue, may go in the same
         * request right behind it ({@code previous} was admitted by this drain); may stamp it when it returns
         * true.
         */
        default boolean admitNext(ProducerBatch previous, ProducerBatch next) {
            return admit(next);
        }
    }

    /**
     * The most batches of one partition that one request carries: the broker remembers the batches of an
     * idempotent producer's last five appends, at most 125 batches, so five requests in flight of this many
     * are all deduplicated if they are retried.
     */
    static final int MAX_BATCHES_PER_PARTITION = 25;

    /**
     * Takes, for each ready node, the head batch of each partition it leads and the full batches queued right
     * behind it (in order, at most {@link #MAX_BATCHES_PER_PARTITION}), up to {@code maxRequestSize} bytes,
     * starting each time after where the last drain stopped so no partition starves. Several batches of a
     * partition in one request are appended together and covered by one flush on the broker. Network thread
     * (the sender).
     */
    Map<Node, List<ProducerBatch>> drain(Cluster cluster, Collection<Node> nodes, int maxRequestSize, long nowMs,
                                         DrainGate gate) {
        Map<Node, List<ProducerBatch>> out = new LinkedHashMap<>();
        for (Node node : nodes) {
            List<TopicPartition> led = new ArrayList<>();
            for (TopicPartition tp : batches.keySet()) {
                Node leader = cluster.leader(tp);
                if (leader != null && leader.id() == node.id()) {
                    led.add(tp);
                }
            }
            if (led.isEmpty()) {
                continue;
            }
            led.sort(null);
            int start = Math.floorMod(drainCursor.getOrDefault(node.id(), 0), led.size());
            List<ProducerBatch> taken = new ArrayList<>();
            int size = 0;
            int i = 0;
            for (; i < led.size(); i++) {
                TopicPartition tp = led.get((start + i) % led.size());
                Deque<ProducerBatch> deque = batches.get(tp);
                synchronized (deque) {
                    ProducerBatch head = deque.peekFirst();
                    if (head == null || (head.attempts > 0 && nowMs < head.retryAtMs)) {
                        continue;
                    }
                    if (!taken.isEmpty() && size + head.sizeInBytes() > maxRequestSize) {
                        break;
                    }
                    if (!gate.admit(head)) {
                        continue;
                    }
                    deque.pollFirst();
                    head.close();
                    taken.add(head);
                    size += head.sizeInBytes();
                    ProducerBatch previous = head;
                    for (int n = 1; n < MAX_BATCHES_PER_PARTITION; n++) {
                        ProducerBatch next = deque.peekFirst();
                        if (next == null || !next.isFull() || next.attempts > 0
                                || size + next.sizeInBytes() > maxRequestSize || !gate.admitNext(previous, next)) {
                            break;
                        }
                        deque.pollFirst();
                        next.close();
                        taken.add(next);
                        size += next.sizeInBytes();
                        previous = next;
                    }
                }
            }
            drainCursor.put(node.id(), start + i);
            if (!taken.isEmpty()) {
                out.put(node, taken);
            }
        }
        return out;
    }

    /**
     * Puts a batch that failed retriably back at the front of its partition, ahead of newer batches;
     * batches carrying sequence numbers stay in sequence order. Network thread (the sender).
     */
    void reenqueue(ProducerBatch batch, long retryAtMs) {
        batch.retryAtMs = retryAtMs;
        Deque<ProducerBatch> deque = batches.computeIfAbsent(batch.topicPartition, k -> new ArrayDeque<>());
        synchronized (deque) {
            if (!batch.hasSequence()) {
                deque.addFirst(batch);
                return;
            }
            List<ProducerBatch> ahead = new ArrayList<>();
            while (!deque.isEmpty() && deque.peekFirst().hasSequence()
                    && deque.peekFirst().baseSequence < batch.baseSequence) {
                ahead.add(deque.pollFirst());
            }
            deque.addFirst(batch);
            for (int i = ahead.size() - 1; i >= 0; i--) {
                deque.addFirst(ahead.get(i));
            }
        }
    }

    /** Removes and returns queued batches older than {@code deliveryTimeoutMs}. Network thread (the sender). */
    List<ProducerBatch> expire(long deliveryTimeoutMs, long nowMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (Deque<ProducerBatch> deque : batches.values()) {
            synchronized (deque) {
                for (Iterator<ProducerBatch> it = deque.iterator(); it.hasNext(); ) {
                    ProducerBatch b = it.next();
                    if (nowMs - b.createdMs >= deliveryTimeoutMs) {
                        it.remove();
                        b.close();
                        expired.add(b);
                    } else {
                        break; // batches behind a live one are younger
                    }
                }
            }
        }
        return expired;
    }

    /** Every queued batch that already carries a sequence, per partition in queue order. Network thread. */
    Map<TopicPartition, List<ProducerBatch>> sequencedQueued() {
        Map<TopicPartition, List<ProducerBatch>> out = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Deque<ProducerBatch>> e : batches.entrySet()) {
            synchronized (e.getValue()) {
                for (ProducerBatch b : e.getValue()) {
                    if (b.hasSequence()) {
                        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(b);
                    }
                }
            }
        }
        return out;
    }

    /** Removes every queued batch (for a forced close or a fatal error). Network thread (the sender). */
    List<ProducerBatch> drainAll() {
        List<ProducerBatch> out = new ArrayList<>();
        for (Deque<ProducerBatch> deque : batches.values()) {
            synchronized (deque) {
                for (ProducerBatch b : deque) {
                    b.close();
                    out.add(b);
                }
                deque.clear();
            }
        }
        return out;
    }

    /** Whether any batch waits in a deque. */
    boolean hasQueued() {
        for (Deque<ProducerBatch> deque : batches.values()) {
            synchronized (deque) {
                if (!deque.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many batches of {@code tp} wait in its deque. */
    int queuedBatches(TopicPartition tp) {
        Deque<ProducerBatch> deque = batches.get(tp);
        if (deque == null) {
            return 0;
        }
        synchronized (deque) {
            return deque.size();
        }
    }

    /** Whether any batch is queued, in flight, or not yet completed, or an append is under way. */
    boolean hasIncomplete() {
        return !incomplete.isEmpty() || appendsInProgress.get() > 0;
    }

    /** Makes every batch ready at once until {@link #endFlush}. */
    void beginFlush() {
        flushesInProgress.incrementAndGet();
    }

    void endFlush() {
        flushesInProgress.decrementAndGet();
    }

    /** The batches not yet completed, for flush() to wait on. */
    List<CompletableFuture<Void>> incompleteFutures() {
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (ProducerBatch b : incomplete) {
            out.add(b.done);
        }
        return out;
    }

    /** No new batches from now on; what is queued is sent at once. */
    void beginClose() {
        closing = true;
    }

    int batchSize() {
        return batchSize;
    }
}
