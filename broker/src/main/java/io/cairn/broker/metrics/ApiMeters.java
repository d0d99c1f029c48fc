package io.cairn.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Request meters of one API (Produce, Fetch, ...), created once and cached by
 * {@link BrokerMetrics#api}. Thread-safe; recording allocates nothing.
 */
public final class ApiMeters {

    private final String api;
    final Counter requests;
    final Counter errors;
    final Timer latency;

    ApiMeters(String api, Counter requests, Counter errors, Timer latency) {
        this.api = api;
        this.requests = requests;
        this.errors = errors;
        this.latency = latency;
    }

    public String api() {
        return api;
    }

    /** One request answered, {@code latencyNanos} after it was read off the socket. */
    public void record(long latencyNanos) {
        requests.increment();
        latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    /** One request answered with an error code (also counted by {@link #record}). */
    public void recordError() {
        errors.increment();
    }
}
