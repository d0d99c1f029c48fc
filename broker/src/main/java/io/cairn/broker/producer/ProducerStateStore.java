package io.cairn.broker.producer;

/**
 * Durable home of each partition's producer-state snapshot. Partitions are named
 * "topic-partition". Calls come from writer threads and the broker's shutdown; implementations
 * must be thread-safe.
 */
public interface ProducerStateStore {
    /** The stored snapshot of the partition, or null if there is none. */
    ProducerStateSnapshot load(String topic, int partition);

    /** Replaces the partition's snapshot. */
    void save(String topic, int partition, ProducerStateSnapshot snapshot);

    /** Removes the partition's snapshot, if any. */
    void delete(String topic, int partition);
}
