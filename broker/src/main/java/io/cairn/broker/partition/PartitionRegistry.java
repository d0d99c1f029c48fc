package io.cairn.broker.partition;

import io.cairn.broker.producer.ProducerStateLoader;
import io.cairn.broker.producer.ProducerStateStore;
import io.cairn.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The partitions the data path serves, looked up by topic and partition. Logs come from
 * {@code logs} (storage's log manager); the registry adds a {@link Partition} around each, bound
 * to a writer lane. A log that disappears (topic deleted) drops its partition; a log replaced by
 * another (topic deleted and made again) gets a fresh partition and fresh producer state.
 *
 * <p>Thread-safe; lookups are lock-free.
 */
public final class PartitionRegistry {
    private final Function<TopicPartition, PartitionLog> logs;
    private final PartitionWriters writers;
    private final ProducerStateStore producerStateStore;
    private final ProducerStateLoader loader;
    private final ConcurrentMap<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    /**
     * @param logs the log of a partition, or null if the partition does not exist; the same
     *             partition log must be {@code equals} to itself across calls
     */
    public PartitionRegistry(Function<TopicPartition, PartitionLog> logs, PartitionWriters writers,
                             ProducerStateStore producerStateStore) {
        this.logs = Objects.requireNonNull(logs, "logs");
        this.writers = Objects.requireNonNull(writers, "writers");
        this.producerStateStore = Objects.requireNonNull(producerStateStore, "producerStateStore");
        this.loader = new ProducerStateLoader(producerStateStore);
    }

    /** The partition, or null if it does not exist. */
    public Partition partition(TopicPartition tp) {
        PartitionLog log = logs.apply(tp);
        if (log == null) {
            partitions.remove(tp);
            return null;
        }
        Partition cached = partitions.get(tp);
        if (cached != null && cached.log().equals(log)) {
            return cached;
        }
        Partition fresh = new Partition(log, writers.laneFor(tp), loader, producerStateStore);
        if (cached == null ? partitions.putIfAbsent(tp, fresh) == null : partitions.replace(tp, cached, fresh)) {
            return fresh;
        }
        return partition(tp);
    }

    /**
     * Wakes the fetches parked on {@code tp}, if any: for appends made outside the append service
     * (e.g. the group coordinator writing its offsets topic). Cheap; any thread.
     */
    public void wakeWaiters(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null) {
            partition.wakeWaiters();
        }
    }

    public PartitionWriters writers() {
        return writers;
    }

    /**
     * Expires idle producers and stores a producer-state snapshot of every partition in use, each
     * on its writer lane (so it reflects exactly the appends before it). Partitions whose log is
     * gone (topic deleted) are dropped with their stored snapshot.
     *
     * @return completes when every snapshot is stored
     */
    public CompletableFuture<Void> checkpointProducerState(long nowMs, long expirationMs) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Partition p : partitions.values()) {
            TopicPartition tp = p.topicPartition();
            if (logs.apply(tp) == null) {
                // the topic was deleted: forget the partition and its stored snapshot
                if (partitions.remove(tp, p)) {
                    producerStateStore.delete(tp.topic(), tp.partition());
                }
                continue;
            }
            done.add(CompletableFuture.runAsync(() -> p.checkpointProducerState(nowMs, expirationMs), p.writer()));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }
}
