package io.cairn.broker.metrics;

/**
 * Whether the broker is serving, for {@code GET /health}. Starts "not serving: starting"; the
 * broker marks it serving once the listener accepts clients and not serving again when it shuts
 * down or loses its data directory. Thread-safe (one volatile).
 */
public final class BrokerHealth {

    private volatile String notServingReason = "starting";

    public void markServing() {
        notServingReason = null;
    }

    /** @param reason shown to whoever probes, e.g. {@code shutting down} */
    public void markNotServing(String reason) {
        notServingReason = reason == null || reason.isEmpty() ? "not serving" : reason;
    }

    public boolean isServing() {
        return notServingReason == null;
    }

    /** Why the broker is not serving, or {@code null} when it is. */
    public String reason() {
        return notServingReason;
    }
}
