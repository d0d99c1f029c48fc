package io.cairn.broker.group;

import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.metrics.MeterRegistration;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The {@code cairn_consumer_lag{group, topic, partition}} gauges: one per partition a group has
 * committed an offset for, valued at scrape time as log end offset − committed offset
 * ({@link GroupLag#lag}; -1 when the partition's end offset is unknown). The committed offsets are
 * refreshed from the coordinator by {@link #refresh} (call it periodically, e.g. every 10 s);
 * gauges of offsets that disappeared (group deleted, offsets expired, topic deleted) are removed.
 *
 * <p>Thread-safe: refreshes are serialized; gauges are read from the scrape thread.
 */
public final class GroupLagMetrics implements AutoCloseable {

    private final BrokerMetrics metrics;
    private final ToLongFunction<TopicPartition> logEndOffset;
    private final Map<GaugeKey, Gauge> gauges = new HashMap<>();
    private boolean closed;

    private record GaugeKey(String group, TopicPartition partition) {
    }

    private record Gauge(AtomicLong committed, MeterRegistration registration) {
    }

    /**
     * @param logEndOffset the end offset consumers can read to (the high watermark) of a partition,
     *                     or a negative value when the partition is unknown
     */
    public GroupLagMetrics(BrokerMetrics metrics, ToLongFunction<TopicPartition> logEndOffset) {
        this.metrics = metrics;
        this.logEndOffset = logEndOffset;
    }

    /** Reads the committed offsets from the coordinator and updates the gauges. */
    public CompletableFuture<Void> refresh(GroupCoordinator coordinator) {
        return coordinator.committedOffsets().thenAccept(this::update);
    }

    /** Brings the gauges in line with {@code committed} (group → partition → committed offset). */
    public synchronized void update(Map<String, Map<TopicPartition, Long>> committed) {
        if (closed) {
            return;
        }
        for (Iterator<Map.Entry<GaugeKey, Gauge>> it = gauges.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<GaugeKey, Gauge> entry = it.next();
            Map<TopicPartition, Long> groupOffsets = committed.get(entry.getKey().group());
            if (groupOffsets == null || !groupOffsets.containsKey(entry.getKey().partition())) {
                entry.getValue().registration().close();
                it.remove();
            }
        }
        committed.forEach((group, offsets) -> offsets.forEach((partition, offset) -> {
            GaugeKey key = new GaugeKey(group, partition);
            Gauge gauge = gauges.get(key);
            if (gauge == null) {
                AtomicLong value = new AtomicLong(offset);
                MeterRegistration registration = metrics.registerConsumerLag(group, partition.topic(),
                        partition.partition(), () -> GroupLag.lag(value.get(), logEndOffset.applyAsLong(partition)));
                gauges.put(key, new Gauge(value, registration));
            } else {
                gauge.committed().set(offset);
            }
        }));
    }

    /** How many gauges are registered. */
    public synchronized int size() {
        return gauges.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        gauges.values().forEach(gauge -> gauge.registration().close());
        gauges.clear();
    }
}
