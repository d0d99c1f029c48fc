package io.cairn.client.producer;

/**
 * Chooses the partition of a record the application did not place itself. Implementations must be
 * thread-safe: the producer calls them from every thread that calls {@code send}.
 */
@FunctionalInterface
public interface Partitioner extends AutoCloseable {
    /**
     * Returns the partition for a record, in {@code [0, numPartitions)}.
     *
     * @param topic the record's topic
     * @param key the key object, or null
     * @param keyBytes the serialized key, or null when the record has no key
     * @param value the value object, or null
     * @param valueBytes the serialized value, or null
     * @param numPartitions the topic's partition count as the producer's metadata knows it (> 0)
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions);

    /** Releases what the partitioner holds; called once when the producer closes. */
    @Override
    default void close() {
    }
}
