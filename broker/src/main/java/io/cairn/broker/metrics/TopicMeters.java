package io.cairn.broker.metrics;

import io.micrometer.core.instrument.Counter;

/**
 * Traffic counters of one topic, created once and cached by {@link BrokerMetrics#topic}. Hold on
 * to an instance on the hot path to skip even the map lookup. Thread-safe (Micrometer counters
 * are lock-free adders); recording allocates nothing.
 */
public final class TopicMeters {

    private final String topic;
    final Counter bytesIn;
    final Counter recordsIn;
    final Counter bytesOut;
    final Counter recordsOut;

    TopicMeters(String topic, Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
        this.topic = topic;
        this.bytesIn = bytesIn;
        this.recordsIn = recordsIn;
        this.bytesOut = bytesOut;
        this.recordsOut = recordsOut;
    }

    public String topic() {
        return topic;
    }

    /** Bytes (batch bytes as appended) and records produced to the topic. */
    public void recordIn(long bytes, long records) {
        bytesIn.increment(bytes);
        recordsIn.increment(records);
    }

    /** Bytes (batch bytes as sent) and records fetched from the topic. */
    public void recordOut(long bytes, long records) {
        bytesOut.increment(bytes);
        recordsOut.increment(records);
    }
}
