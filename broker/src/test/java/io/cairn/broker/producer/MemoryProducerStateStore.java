package io.cairn.broker.producer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ProducerStateStore} in a map, for tests. */
public class MemoryProducerStateStore implements ProducerStateStore {
    private final Map<String, byte[]> snapshots = new ConcurrentHashMap<>();

    @Override
    public ProducerStateSnapshot load(String topic, int partition) {
        byte[] bytes = snapshots.get(topic + "-" + partition);
        return bytes == null ? null : ProducerStateSnapshot.decode(bytes, topic + "-" + partition);
    }

    @Override
    public void save(String topic, int partition, ProducerStateSnapshot snapshot) {
        snapshots.put(topic + "-" + partition, snapshot.encode());
    }

    @Override
    public void delete(String topic, int partition) {
        snapshots.remove(topic + "-" + partition);
    }
}
