package io.cairn.broker.metrics;

import io.cairn.storage.Log;
import io.cairn.storage.TopicPartition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@code cairn_log_size_bytes} and {@code cairn_log_segments} gauges of every hosted partition:
 * registered when a partition's log opens or is created, removed when the partition is deleted.
 * The gauges look the log up at each scrape, so they follow whichever log the partition has now
 * and read 0 while it has none open. Thread-safe: registration may come from the admin thread
 * while the scrape thread reads.
 */
public final class PartitionLogGauges implements AutoCloseable {
    private final BrokerMetrics metrics;
    private final Function<TopicPartition, Optional<Log>> logs;
    private final ConcurrentHashMap<TopicPartition, MeterRegistration> registered = new ConcurrentHashMap<>();

    /** @param logs the open log of a partition, if any; called on the scrape thread */
    public PartitionLogGauges(BrokerMetrics metrics, Function<TopicPartition, Optional<Log>> logs) {
        this.metrics = metrics;
        this.logs = logs;
    }

    /** Reports {@code tp}'s log from now on; a partition already reported stays as it is. */
    public void register(TopicPartition tp) {
        registered.computeIfAbsent(tp, key -> metrics.registerPartition(key.topic(), key.partition(),
                () -> logs.apply(key).map(Log::sizeInBytes).orElse(0L),
                () -> logs.apply(key).map(Log::segmentCount).orElse(0)));
    }

    /** Stops reporting {@code tp} (its partition was deleted); nothing happens if it was not reported. */
    public void unregister(TopicPartition tp) {
        MeterRegistration registration = registered.remove(tp);
        if (registration != null) {
            registration.close();
        }
    }

    /** The partitions reported now. */
    public List<TopicPartition> partitions() {
        return List.copyOf(registered.keySet());
    }

    /** Removes every gauge. */
    @Override
    public void close() {
        for (TopicPartition tp : partitions()) {
            unregister(tp);
        }
    }
}
