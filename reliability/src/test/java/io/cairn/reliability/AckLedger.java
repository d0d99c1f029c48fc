package io.cairn.reliability;

import io.cairn.client.producer.RecordMetadata;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every record the suites sent and what became of it: the partition and offset the broker
 * acknowledged, or the failure. Record ids are {@code <producer>-<sequence>}, unique per run, and
 * travel as the record value, so a read of the whole log can be checked against this ledger.
 *
 * <p>Thread-safe: producers' callback threads record, the test thread reads.
 */
final class AckLedger {
    /** Where the broker said a record is, and which producer sent it in which order. */
    record Ack(String id, int producer, long sequence, int partition, long offset) {
    }

    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();

    static String id(int producer, long sequence) {
        return producer + "-" + sequence;
    }

    void sent() {
        sent.incrementAndGet();
    }

    void acked(int producer, long sequence, RecordMetadata metadata) {
        String id = id(producer, sequence);
        Ack previous = acked.putIfAbsent(id, new Ack(id, producer, sequence, metadata.partition(), metadata.offset()));
        if (previous != null) {
            failures.add(id + ": acknowledged twice (" + previous + ", then offset " + metadata.offset() + ")");
        }
    }

    void failed(int producer, long sequence, Throwable error) {
        failures.add(id(producer, sequence) + ": " + error);
    }

    long sentCount() {
        return sent.get();
    }

    long ackedCount() {
        return acked.size();
    }

    Map<String, Ack> acks() {
        return Map.copyOf(acked);
    }

    /** Sends that failed (each with its reason), and acknowledgements given twice. */
    java.util.List<String> failures() {
        return java.util.List.copyOf(failures);
    }
}
