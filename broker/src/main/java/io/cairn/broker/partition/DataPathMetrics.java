package io.cairn.broker.partition;

/**
 * What the data path reports: bytes and records in and out per topic, requests parked waiting
 * (acks=all produces waiting for fsync, long-poll fetches waiting for data), and how long a
 * produce waited for its flush. Implementations must be thread-safe and cheap (called per request
 * and partition, from event loops and writer threads).
 */
public interface DataPathMetrics {
    DataPathMetrics NONE = new DataPathMetrics() {
    };

    default void appended(String topic, long bytes, long records) {
    }

    default void fetched(String topic, long bytes, long records) {
    }

    default void produceWaitingChanged(int delta) {
    }

    default void fetchWaitingChanged(int delta) {
    }

    default void flushWaitedNanos(long nanos) {
    }
}
