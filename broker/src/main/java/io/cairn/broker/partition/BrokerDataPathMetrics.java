package io.cairn.broker.partition;

import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.metrics.MeterRegistration;
import io.cairn.storage.Log;
import java.util.List;
import java.util.Objects;

/**
 * The data path's metrics in the broker's {@link BrokerMetrics}: {@code cairn_bytes_in/out},
 * {@code cairn_records_in/out} per topic, {@code cairn_purgatory_waiting{purgatory=produce|fetch}}
 * read from the services, and {@code cairn_log_flush_latency_seconds} fed with the time each
 * acks=all produce waited for the force that covered it (group commit: one force, many waits),
 * and per force {@code cairn_log_flush_batches_per_force}, {@code cairn_log_flush_records_per_force}
 * and {@code cairn_log_force_latency_seconds}.
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

    /**
     * One force of the group commit (a {@code FlushService.ForceListener}): how many acks=all
     * appends and records it made durable, and how long the fsync took. Runs on a force thread.
     */
    public void forced(Log log, int waiters, long records, long nanos) {
        metrics.recordForce(waiters, records, nanos);
    }

    /** Registers the waiting-request gauges of {@code services}; close the registrations to remove them. */
    public List<MeterRegistration> bindWaiting(DataPathServices services) {
        return List.of(metrics.bindPurgatory("produce", services.appends()::waitingForFlush),
                metrics.bindPurgatory("fetch", services.fetches()::parkedCount));
    }
}
