package io.cairn.broker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Meters registered for something that can go away (a partition, a group member's lag); closing
 * removes them from the registry so a deleted partition stops being reported. Idempotent.
 */
public final class MeterRegistration implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters;
    private volatile boolean closed;

    MeterRegistration(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = List.copyOf(meters);
    }

    List<Meter> meters() {
        return meters;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
