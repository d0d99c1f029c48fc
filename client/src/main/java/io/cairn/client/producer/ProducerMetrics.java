package io.cairn.client.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The producer's Micrometer meters, all named {@code cairn.client.producer.*} and tagged with the
 * client id (Prometheus: {@code cairn_client_producer_*}). Meters are thread-safe.
 */
final class ProducerMetrics {
    private final Counter recordsSent;
    private final Counter recordsAcked;
    private final Counter recordsFailed;
    private final Counter requests;
    private final Counter bytesSent;
    private final Counter retries;
    private final DistributionSummary batchesPerRequest;
    private final DistributionSummary recordsPerRequest;

    ProducerMetrics(MeterRegistry registry, Tags tags, BufferPool pool) {
        recordsSent = registry.counter("cairn.client.producer.records.sent", tags);
        recordsAcked = registry.counter("cairn.client.producer.records.acked", tags);
        recordsFailed = registry.counter("cairn.client.producer.records.failed", tags);
        requests = registry.counter("cairn.client.producer.requests", tags);
        bytesSent = registry.counter("cairn.client.producer.bytes.sent", tags);
        retries = registry.counter("cairn.client.producer.retries", tags);
        batchesPerRequest = DistributionSummary.builder("cairn.client.producer.batches.per.request").tags(tags)
                .register(registry);
        recordsPerRequest = DistributionSummary.builder("cairn.client.producer.records.per.request").tags(tags)
                .register(registry);
        Gauge.builder("cairn.client.producer.buffer.available.bytes", pool, BufferPool::availableBytes).tags(tags)
                .register(registry);
        Gauge.builder("cairn.client.producer.buffer.waiters", pool, BufferPool::waiterCount).tags(tags)
                .register(registry);
    }

    void onSend() {
        recordsSent.increment();
    }

    void onRequest(int batches, int records, int bytes) {
        requests.increment();
        bytesSent.increment(bytes);
        batchesPerRequest.record(batches);
        recordsPerRequest.record(records);
    }

    void onAcked(int records) {
        recordsAcked.increment(records);
    }

    void onFailed(int records) {
        recordsFailed.increment(records);
    }

    void onRetry() {
        retries.increment();
    }

    /** Produce requests sent so far. */
    double requestCount() {
        return requests.count();
    }
}
