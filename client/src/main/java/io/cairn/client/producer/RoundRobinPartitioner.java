package io.cairn.client.producer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Spreads records over every partition in turn, ignoring keys. Thread-safe. */
public final class RoundRobinPartitioner implements Partitioner {
    private final ConcurrentHashMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                         int numPartitions) {
        int n = counters.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
        return Murmur2.toPositive(n) % numPartitions;
    }
}
