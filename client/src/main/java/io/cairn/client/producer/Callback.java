package io.cairn.client.producer;

/**
 * Called once with the outcome of one record given to {@link CairnProducer#send(ProducerRecord, Callback)}:
 * Kafka's {@code org.apache.kafka.clients.producer.Callback}. Runs on the producer's network thread (as
 * Kafka's runs on its I/O thread), in acknowledgement order within a partition, just before the record's
 * future completes; a record that failed before it was queued (closed producer, record too large, unknown
 * partition) calls it at once on the sending thread. Keep it quick: while it runs the producer neither
 * sends nor receives. It may call {@code send} (which then never blocks: it fails at once where it would
 * wait for metadata or buffer memory) and {@code close} (which then does not wait); {@code flush} throws.
 */
@FunctionalInterface
public interface Callback {
    /**
     * @param metadata where the record was stored, or null when it failed
     * @param exception why the record was not stored, or null on success
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
