package io.cairn.client.producer;

import java.util.concurrent.CompletableFuture;

/**
 * The future {@link CairnProducer#send} returns for one record, carrying what its
 * {@link RecordMetadata} needs (timestamp, key and value sizes) so that a batch keeps one object per
 * record rather than a future plus a holder (the role of Kafka's {@code FutureRecordMetadata} and
 * {@code Thunk}), and the sender's {@link Callback} if it gave one. It behaves as a plain {@link CompletableFuture}; stages derived from it are plain
 * {@code CompletableFuture}s.
 *
 * <p>Created by the appending thread under its partition's lock; completed by {@link ProducerBatch} on
 * the producer's network thread.
 */
final class FutureRecordMetadata extends CompletableFuture<RecordMetadata> {
    final long timestamp;
    final int keySize;
    final int valueSize;
    /** The sender's callback, or null. */
    final Callback callback;

    FutureRecordMetadata(long timestamp, int keySize, int valueSize, Callback callback) {
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.callback = callback;
    }
}
