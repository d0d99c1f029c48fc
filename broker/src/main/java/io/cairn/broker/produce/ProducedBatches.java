package io.cairn.broker.produce;

import io.cairn.broker.producer.BatchMetadata;
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
 * producer id and epoch when the producer is idempotent. Built on the connection's event loop by
 * {@link #scan}, read on the writer lane.
 *
 * <p>An idempotent producer may send several batches per partition in one request (Kafka allows one):
 * they must all carry its producer id and epoch, and each must start at the sequence right after
 * the previous one's last, else the partition's records are rejected with {@code INVALID_RECORD}
 * (as is a request that mixes idempotent batches with others). The writer then checks them batch
 * by batch as if each had come alone, reading their sequences from the headers with its own
 * flyweight (nothing per batch is kept here), and answers the partition with the first batch's
 * offset: the later batches' offsets follow from their record counts, as they were appended together.
 */
final class ProducedBatches {
    final int batchCount;
    final int recordCount;
    final long producerId;
    final short producerEpoch;
    /** Null when valid, else why not (names the partition and the batch). */
    final ErrorCode error;
    final String message;

    private ProducedBatches(int batchCount, int recordCount, long producerId, short producerEpoch) {
        this.batchCount = batchCount;
        this.recordCount = recordCount;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.error = null;
        this.message = null;
    }

    private ProducedBatches(ErrorCode error, String message) {
        this.batchCount = 0;
        this.recordCount = 0;
        this.producerId = RecordBatchDescriptor.NO_PRODUCER_ID;
        this.producerEpoch = RecordBatchDescriptor.NO_PRODUCER_EPOCH;
        this.error = error;
        this.message = message;
    }

    boolean isIdempotent() {
        return producerId != RecordBatchDescriptor.NO_PRODUCER_ID;
    }

    /**
     * How many batches the writer checks one by one against the producer state: every batch of an
     * idempotent producer (it reads their sequences from the headers), else none.
     */
    int checkedBatches() {
        return isIdempotent() ? batchCount : 0;
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
        if (batches > 1) {
            String broken = checkOneProducer(tp, records, summary, batches, producerId, epoch, view);
            if (broken != null) {
                return rejected(ErrorCode.INVALID_RECORD, broken);
            }
        }
        return new ProducedBatches(batches, summary.recordCount(), producerId, epoch);
    }

    /**
     * For several batches of one partition: null if none is idempotent, or all carry batch 0's producer id and
     * epoch with consecutive sequences; else why not.
     */
    private static String checkOneProducer(TopicPartition tp, ByteBuffer records, ValidationSummary summary,
                                           int batches, long producerId, short epoch, RecordBatch view) {
        boolean anyIdempotent = producerId != RecordBatchDescriptor.NO_PRODUCER_ID;
        for (int i = 1; i < batches && !anyIdempotent; i++) {
            anyIdempotent = view.wrap(records, summary.batchPosition(i)).producerId() != RecordBatchDescriptor.NO_PRODUCER_ID;
        }
        if (!anyIdempotent) {
            return null;
        }
        int previousLastSequence = 0;
        for (int i = 0; i < batches; i++) {
            view.wrap(records, summary.batchPosition(i));
            if (view.producerId() != producerId || view.producerEpoch() != epoch) {
                return "produce to " + tp + " rejected: batch " + i + " of " + batches + " has producerId="
                        + view.producerId() + " epoch=" + view.producerEpoch() + ", batch 0 has producerId=" + producerId
                        + " epoch=" + epoch
                        + "; the batches of one partition in one request must come from one idempotent producer";
            }
            if (i > 0 && !BatchMetadata.inSequence(previousLastSequence, view.baseSequence())) {
                return "produce to " + tp + " rejected: batch " + i + " of " + batches + " of producerId=" + producerId
                        + " starts at sequence " + view.baseSequence() + ", the batch before it ends at "
                        + previousLastSequence
                        + "; the batches of one partition in one request must have consecutive sequences";
            }
            previousLastSequence = view.lastSequence();
        }
        return null;
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
