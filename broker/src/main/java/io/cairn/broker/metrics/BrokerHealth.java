package io.cairn.broker.metrics;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whether the broker is serving, for {@code GET /health}. Starts "not serving: starting"; the
 * broker marks it serving once the listener accepts clients and not serving again when it shuts
 * down or loses its data directory. Thread-safe (one volatile).
 */
public final class BrokerHealth {

    private volatile String notServingReason = "starting";
    private volatile Supplier<String> problem = () -> null;

    /**
     * A condition that makes a running broker unhealthy, e.g. its data directory going offline:
     * {@code problem} returns the reason, or null while all is well. Read on every probe.
     */
    public void watch(Supplier<String> problem) {
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public void markServing() {
        notServingReason = null;
    }

    /** @param reason shown to whoever probes, e.g. {@code shutting down} */
    public void markNotServing(String reason) {
        notServingReason = reason == null || reason.isEmpty() ? "not serving" : reason;
    }

    public boolean isServing() {
        return reason() == null;
    }

    /** Why the broker is not serving, or {@code null} when it is. */
    public String reason() {
        String reason = notServingReason;
        return reason != null ? reason : problem.get();
    }
}
