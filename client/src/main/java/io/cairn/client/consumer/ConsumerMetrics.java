package io.cairn.client.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The consumer's Micrometer meters, named {@code cairn.client.consumer.*} and tagged with the client id.
 * Meters are thread-safe.
 */
final class ConsumerMetrics {
    private final Counter recordsConsumed;
    private final Counter bytesFetched;
    private final Counter fetchRequests;
    private final Counter fetchErrors;

    ConsumerMetrics(MeterRegistry registry, Tags tags) {
        recordsConsumed = registry.counter("cairn.client.consumer.records.consumed", tags);
        bytesFetched = registry.counter("cairn.client.consumer.bytes.fetched", tags);
        fetchRequests = registry.counter("cairn.client.consumer.fetch.requests", tags);
        fetchErrors = registry.counter("cairn.client.consumer.fetch.errors", tags);
    }

    void onRecords(int count) {
        recordsConsumed.increment(count);
    }

    void onFetchRequest() {
        fetchRequests.increment();
    }

    void onFetchBytes(int bytes) {
        bytesFetched.increment(bytes);
    }

    void onFetchError() {
        fetchErrors.increment();
    }
}
