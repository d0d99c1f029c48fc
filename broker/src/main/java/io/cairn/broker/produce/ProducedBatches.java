package io.cairn.broker.produce;

import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.protocol.record.RecordBatchValidator;
import io.cairn.protocol.record.ValidationSummary;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;

/**
 * What the broker learns from one partition's produced records before it hands them to the
 * writer: whether they are valid, how many batches and records they hold, and the idempotence
 * fields of the batch when the producer is idempotent. Built on the connection's event loop by
 * {@link #scan}, read on the writer lane.
 *
 * <p>An idempotent producer sends exactly one batch per partition per request (Kafka's rule since
 * produce v3); a request that mixes an idempotent batch with others is rejected with
 * {@code INVALID_RECORD}, so a duplicate can always be answered as a whole.
 */
final class ProducedBatches {
    final int batchCount;
    final int recordCount;
    final long producerId;
    final short producerEpoch;
    final int baseSequence;
    final int lastSequence;
    /** Null when valid, else why not (names the partition and the batch). */
    final ErrorCode error;
    final String message;

    private ProducedBatches(int batchCount, int recordCount, long producerId, short producerEpoch, int baseSequence,
                            int lastSequence) {
        this.batchCount = batchCount;
        this.recordCount = recordCount;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        this.lastSequence = lastSequence;
        this.error = null;
        this.message = null;
    }

    private ProducedBatches(ErrorCode error, String message) {
        this.batchCount = 0;
        this.recordCount = 0;
        this.producerId = RecordBatchDescriptor.NO_PRODUCER_ID;
        this.producerEpoch = RecordBatchDescriptor.NO_PRODUCER_EPOCH;
        this.baseSequence = RecordBatchDescriptor.NO_SEQUENCE;
        this.lastSequence = RecordBatchDescriptor.NO_SEQUENCE;
        this.error = error;
        this.message = message;
    }

    boolean isIdempotent() {
        return producerId != RecordBatchDescriptor.NO_PRODUCER_ID;
    }

    static ProducedBatches rejected(ErrorCode error, String message) {
        return new ProducedBatches(error, message);
    }

    /**
     * Validates the batches in {@code records[position, limit)} with the record module's strict
     * producer rules and sums them up. Does not move the buffer's position or copy the bytes.
     *
     * @param validator a validator (one per thread) whose batch size limit is {@code maxMessageBytes}
     * @param view      a flyweight (one per thread) for reading the batches' producer fields
     */
    static ProducedBatches scan(TopicPartition tp, ByteBuffer records, RecordBatchValidator validator,
                                RecordBatch view) {
        if (!records.hasRemaining()) {
            return rejected(ErrorCode.INVALID_RECORD, "produce to " + tp + " carries no record batch");
        }
        ValidationSummary summary;
        try {
            summary = validator.validateProduce(records, records.position(), records.limit());
        } catch (InvalidRecordBatchException e) {
            return rejected(errorFor(e.reason()), "produce to " + tp + " rejected: " + e.getMessage());
        }
        int batches = summary.batchCount();
        view.wrap(records, summary.batchPosition(0));
        long producerId = view.producerId();
        short epoch = view.producerEpoch();
        int baseSequence = view.baseSequence();
        int lastSequence = view.lastSequence();
        for (int i = 1; i < batches; i++) {
            if (view.wrap(records, summary.batchPosition(i)).producerId() != RecordBatchDescriptor.NO_PRODUCER_ID) {
                producerId = view.producerId();
            }
        }
        if (producerId != RecordBatchDescriptor.NO_PRODUCER_ID && batches != 1) {
            return rejected(ErrorCode.INVALID_RECORD, "produce to " + tp + " rejected: an idempotent producer"
                    + " (producerId=" + producerId + ") must send exactly one batch per partition, got " + batches);
        }
        return new ProducedBatches(batches, summary.recordCount(), producerId, epoch, baseSequence, lastSequence);
    }

    /** How a broken format rule is answered: corruption, size, or a rule of the format. */
    static ErrorCode errorFor(InvalidRecordBatchException.Reason reason) {
        return switch (reason) {
            case CRC_MISMATCH, TRUNCATED_BATCH, TRAILING_BYTES, BATCH_LENGTH_TOO_SMALL, INVALID_MAGIC -> ErrorCode.CORRUPT_MESSAGE;
            case BATCH_TOO_LARGE -> ErrorCode.MESSAGE_TOO_LARGE;
            default -> ErrorCode.INVALID_RECORD;
        };
    }
}
