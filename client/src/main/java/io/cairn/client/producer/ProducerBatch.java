package io.cairn.client.producer;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Records bound for one partition, built straight into a pooled {@link RecordBatchBuilder}, and the
 * futures of their senders. Appends happen under the partition's deque lock in the accumulator; once
 * drained, the batch belongs to the sender thread, which builds it (stamping producer id and
 * sequence), sends it, possibly retries it with the same bytes, and completes it.
 */
final class ProducerBatch {
    /** One appended record's future and what its {@link RecordMetadata} needs. */
    private record Thunk(CompletableFuture<RecordMetadata> future, long timestamp, int keySize, int valueSize) {
    }

    final TopicPartition topicPartition;
    final long createdMs;
    final int reservedBytes;
    private final RecordBatchBuilder builder;
    private final int batchSizeLimit;
    private final List<Thunk> thunks = new ArrayList<>();
    /** Completes after every record future of the batch completed; flush() waits on it. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private boolean closed;
    private ByteBuffer built;
    int attempts;
    long retryAtMs;
    long producerId = RecordBatchDescriptor.NO_PRODUCER_ID;
    short producerEpoch = RecordBatchDescriptor.NO_PRODUCER_EPOCH;
    int baseSequence = RecordBatchDescriptor.NO_SEQUENCE;
    /** Set when the batch was sent and its outcome may be unknown (a lost connection). */
    boolean everSent;
    boolean inFlight;

    ProducerBatch(TopicPartition topicPartition, RecordBatchBuilder builder, int batchSizeLimit, int reservedBytes,
                  long createdMs) {
        this.topicPartition = topicPartition;
        this.builder = builder;
        this.batchSizeLimit = batchSizeLimit;
        this.reservedBytes = reservedBytes;
        this.createdMs = createdMs;
    }

    /**
     * Appends a record if the batch is open and it fits within {@code batch.size} (an empty batch
     * takes any record). Closes the batch when it does not fit.
     *
     * @return the record's future, or null when the caller must start a new batch
     */
    CompletableFuture<RecordMetadata> tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers) {
        if (closed) {
            return null;
        }
        if (!builder.hasRoomFor(timestamp, key, value, headers, batchSizeLimit)) {
            closed = true;
            return null;
        }
        builder.append(timestamp, key, value, headers);
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        thunks.add(new Thunk(future, timestamp, key == null ? -1 : key.length, value == null ? -1 : value.length));
        return future;
    }

    /** Whether the batch takes no more records: closed, or grown to {@code batch.size}. */
    boolean isFull() {
        return closed || builder.estimatedSizeInBytes() >= batchSizeLimit;
    }

    /** Stops further appends; the accumulator calls this when it drains the batch. */
    void close() {
        closed = true;
    }

    int recordCount() {
        return thunks.size();
    }

    /** The size of the built batch, or the builder's estimate before it is built. */
    int sizeInBytes() {
        return built != null ? built.remaining() : builder.estimatedSizeInBytes();
    }

    boolean hasSequence() {
        return baseSequence != RecordBatchDescriptor.NO_SEQUENCE;
    }

    int lastSequence() {
        return baseSequence + recordCount() - 1;
    }

    /**
     * Builds the batch once (compressing if configured) with the producer fields set on this batch.
     * Later calls return the same bytes.
     */
    ByteBuffer build() {
        if (built == null) {
            builder.producer(producerId, producerEpoch, baseSequence);
            built = builder.build();
        }
        return built.duplicate();
    }

    boolean isBuilt() {
        return built != null;
    }

    /**
     * Stamps new producer fields into the built batch and rewrites its CRC: used after the producer
     * id was reset, for batches that the broker never appended under the old one.
     */
    void restamp(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        if (built != null) {
            ByteBuffer b = built.duplicate();
            b.putLong(RecordBatchDescriptor.PRODUCER_ID_OFFSET, producerId);
            b.putShort(RecordBatchDescriptor.PRODUCER_EPOCH_OFFSET, producerEpoch);
            b.putInt(RecordBatchDescriptor.BASE_SEQUENCE_OFFSET, baseSequence);
            new RecordBatch(b, 0).writeCrc();
        }
    }

    /**
     * Completes every record future: record {@code i} got offset {@code baseOffset + i}; its timestamp
     * is the broker's append time when the topic uses one, else its own. Runs on the callback thread.
     */
    void complete(long baseOffset, long logAppendTimeMs) {
        for (int i = 0; i < thunks.size(); i++) {
            Thunk t = thunks.get(i);
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : t.timestamp;
            try {
                t.future.complete(new RecordMetadata(topicPartition.topic(), topicPartition.partition(), offset,
                        timestamp, t.keySize, t.valueSize));
            } catch (RuntimeException e) {
                // A dependent stage threw; that is the application's concern, not the batch's.
            }
        }
        done.complete(null);
    }

    /** Fails every record future with {@code error}. Runs on the callback thread. */
    void fail(RuntimeException error) {
        for (Thunk t : thunks) {
            try {
                t.future.completeExceptionally(error);
            } catch (RuntimeException e) {
                // As in complete(): a throwing dependent stage must not stop the others.
            }
        }
        done.complete(null);
    }

    /** The builder, for the pool, once the batch's bytes are no longer needed. */
    RecordBatchBuilder builder() {
        return builder;
    }

    @Override
    public String toString() {
        return "batch(" + topicPartition + ", records=" + thunks.size() + ", seq=" + baseSequence + ", attempts="
                + attempts + ")";
    }
}
