package io.cairn.broker.partition;

import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.metrics.MeterRegistration;
import java.util.List;
import java.util.Objects;

/**
 * The data path's metrics in the broker's {@link BrokerMetrics}: {@code cairn_bytes_in/out},
 * {@code cairn_records_in/out} per topic, {@code cairn_purgatory_waiting{purgatory=produce|fetch}}
 * read from the services, and {@code cairn_log_flush_latency_seconds} fed with the time each
 * acks=all produce waited for the force that covered it (group commit: one force, many waits).
 * Thread-safe.
 */
public final class BrokerDataPathMetrics implements DataPathMetrics {
    private final BrokerMetrics metrics;

    public BrokerDataPathMetrics(BrokerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void appended(String topic, long bytes, long records) {
        metrics.recordIn(topic, bytes, records);
    }

    @Override
    public void fetched(String topic, long bytes, long records) {
        metrics.recordOut(topic, bytes, records);
    }

    @Override
    public void flushWaitedNanos(long nanos) {
        metrics.recordFlush(nanos);
    }

    /** Registers the waiting-request gauges of {@code services}; close the registrations to remove them. */
    public List<MeterRegistration> bindWaiting(DataPathServices services) {
        return List.of(metrics.bindPurgatory("produce", services.appends()::waitingForFlush),
                metrics.bindPurgatory("fetch", services.fetches()::parkedCount));
    }
}
