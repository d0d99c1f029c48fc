package io.cairn.client.producer;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records bound for one partition, built straight into a pooled {@link RecordBatchBuilder}, and the
 * futures of their senders. Appends happen under the partition's deque lock in the accumulator; once
 * drained, the batch belongs to the sender (on the network thread), which builds it (stamping producer id and
 * sequence), sends it, possibly retries it with the same bytes, and completes it.
 */
final class ProducerBatch {
    private static final Logger log = LoggerFactory.getLogger(ProducerBatch.class);
    /** The most record slots a batch reserves up front; it grows past this only when records are tiny. */
    private static final int MAX_INITIAL_RECORD_SLOTS = 4096;

    final TopicPartition topicPartition;
    final long createdMs;
    final int reservedBytes;
    private final RecordBatchBuilder builder;
    private final int batchSizeLimit;
    /** The appended records' futures in append order; record {@code i} gets offset {@code baseOffset + i}. */
    private FutureRecordMetadata[] futures;
    private int recordCount;
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

    /**
     * @param firstRecordBytes the serialized size of the first record, from which the number of record
     *                         slots to reserve is guessed (records of one producer tend to be alike)
     */
    ProducerBatch(TopicPartition topicPartition, RecordBatchBuilder builder, int batchSizeLimit, int reservedBytes,
                  long createdMs, int firstRecordBytes) {
        this.topicPartition = topicPartition;
        this.builder = builder;
        this.batchSizeLimit = batchSizeLimit;
        this.reservedBytes = reservedBytes;
        this.createdMs = createdMs;
        int expected = batchSizeLimit / Math.max(8, firstRecordBytes) + 1;
        this.futures = new FutureRecordMetadata[Math.min(MAX_INITIAL_RECORD_SLOTS, Math.max(4, expected))];
    }

    /**
     * Appends a record if the batch is open and it fits within {@code batch.size} (an empty batch
     * takes any record). Closes the batch when it does not fit.
     *
     * @return the record's future, or null when the caller must start a new batch
     */
    CompletableFuture<RecordMetadata> tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers,
                                                Callback callback) {
        if (closed) {
            return null;
        }
        if (!builder.hasRoomFor(timestamp, key, value, headers, batchSizeLimit)) {
            closed = true;
            return null;
        }
        builder.append(timestamp, key, value, headers);
        FutureRecordMetadata future = new FutureRecordMetadata(timestamp, key == null ? -1 : key.length,
                value == null ? -1 : value.length, callback);
        if (recordCount == futures.length) {
            futures = Arrays.copyOf(futures, futures.length * 2);
        }
        futures[recordCount++] = future;
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
        return recordCount;
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
     * is the broker's append time when the topic uses one, else its own. Runs on the network thread.
     */
    void complete(long baseOffset, long logAppendTimeMs) {
        String topic = topicPartition.topic();
        int partition = topicPartition.partition();
        for (int i = 0; i < recordCount; i++) {
            FutureRecordMetadata f = futures[i];
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : f.timestamp;
            RecordMetadata metadata = new RecordMetadata(topic, partition, offset, timestamp, f.keySize, f.valueSize);
            if (f.callback != null) {
                runCallback(f.callback, metadata, null);
            }
            try {
                f.complete(metadata);
            } catch (RuntimeException e) {
                // A dependent stage threw; that is the application's concern, not the batch's.
            }
        }
        done.complete(null);
    }

    /** Fails every record future with {@code error}. Runs on the network thread. */
    void fail(RuntimeException error) {
        for (int i = 0; i < recordCount; i++) {
            if (futures[i].callback != null) {
                runCallback(futures[i].callback, null, error);
            }
            try {
                futures[i].completeExceptionally(error);
            } catch (RuntimeException e) {
                // As in complete(): a throwing dependent stage must not stop the others.
            }
        }
        done.complete(null);
    }

    /** Runs an application callback; one that throws is logged and does not stop the others. */
    static void runCallback(Callback callback, RecordMetadata metadata, Exception error) {
        try {
            callback.onCompletion(metadata, error);
        } catch (RuntimeException e) {
            log.error("a send callback threw; the other callbacks still run", e);
        }
    }

    /** The builder, for the pool, once the batch's bytes are no longer needed. */
    RecordBatchBuilder builder() {
        return builder;
    }

    @Override
    public String toString() {
        return "batch(" + topicPartition + ", records=" + recordCount + ", seq=" + baseSequence + ", attempts="
                + attempts + ")";
    }
}
