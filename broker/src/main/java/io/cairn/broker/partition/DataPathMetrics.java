package io.cairn.broker.partition;

/**
 * What the data path reports as it goes: bytes and records in and out per topic, and how long an
 * acks=all produce waited for the flush that made it durable. (The counts of parked requests are
 * read, not pushed: {@code AppendService.waitingForFlush()}, {@code FetchService.parkedCount()}.)
 * Implementations must be thread-safe and cheap: called per partition of every request, from
 * writer lanes, reader threads and the flush thread.
 */
public interface DataPathMetrics {
    DataPathMetrics NONE = new DataPathMetrics() {
    };

    default void appended(String topic, long bytes, long records) {
    }

    default void fetched(String topic, long bytes, long records) {
    }

    default void flushWaitedNanos(long nanos) {
    }
}
