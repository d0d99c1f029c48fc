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
 * fields of the batch when the producer is idempotent. Built on the connection's event loop by
 * {@link #scan}, read on the writer lane.
 *
 * <p>An idempotent producer may send several batches per partition in one request (Kafka allows one):
 * they must all carry its producer id and epoch, and each must start at the sequence right after
 * the previous one's last, else the partition's records are rejected with {@code INVALID_RECORD}
 * (as is a request that mixes idempotent batches with others). The writer then checks them batch
 * by batch as if each had come alone ({@link #batchBaseSequence} and the other per-batch
 * accessors), and answers the partition with the first batch's offset: the later batches' offsets
 * follow from their record counts, as they were appended together.
 */
final class ProducedBatches {
    final int batchCount;
    final int recordCount;
    final long producerId;
    final short producerEpoch;
    final int baseSequence;
    final int lastSequence;
    /**
     * For several idempotent batches, per batch: position in the records buffer, base and last sequence,
     * offset count ({@code lastOffsetDelta + 1}) and record count; null for one batch or a producer without
     * idempotence (then the fields above describe batch 0, the only one the writer checks).
     */
    private final int[] positions;
    private final int[] baseSequences;
    private final int[] lastSequences;
    private final int[] offsetCounts;
    private final int[] recordCounts;
    /** Null when valid, else why not (names the partition and the batch). */
    final ErrorCode error;
    final String message;

    private ProducedBatches(int batchCount, int recordCount, long producerId, short producerEpoch, int baseSequence,
                            int lastSequence, int[] positions, int[] baseSequences, int[] lastSequences,
                            int[] offsetCounts, int[] recordCounts) {
        this.positions = positions;
        this.baseSequences = baseSequences;
        this.lastSequences = lastSequences;
        this.offsetCounts = offsetCounts;
        this.recordCounts = recordCounts;
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
        this.positions = null;
        this.baseSequences = null;
        this.lastSequences = null;
        this.offsetCounts = null;
        this.recordCounts = null;
        this.error = error;
        this.message = message;
    }

    boolean isIdempotent() {
        return producerId != RecordBatchDescriptor.NO_PRODUCER_ID;
    }

    /** How many batches the writer checks one by one: every batch of an idempotent producer, else 1. */
    int checkedBatches() {
        return positions == null ? 1 : positions.length;
    }

    /** Position of checked batch {@code i} in the records buffer ({@code i < checkedBatches()}). */
    int batchPosition(int i, ByteBuffer records) {
        return positions == null ? records.position() : positions[i];
    }

    int batchBaseSequence(int i) {
        return baseSequences == null ? baseSequence : baseSequences[i];
    }

    int batchLastSequence(int i) {
        return lastSequences == null ? lastSequence : lastSequences[i];
    }

    /** Offsets batch {@code i} takes ({@code lastOffsetDelta + 1}); only for several idempotent batches. */
    int batchOffsetCount(int i) {
        return offsetCounts[i];
    }

    /** Records of checked batch {@code i}; for a single checked entry, every record of the request. */
    int batchRecordCount(int i) {
        return recordCounts == null ? recordCount : recordCounts[i];
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
        if (batches == 1) {
            return new ProducedBatches(1, summary.recordCount(), producerId, epoch, baseSequence, lastSequence,
                    null, null, null, null, null);
        }
        boolean anyIdempotent = producerId != RecordBatchDescriptor.NO_PRODUCER_ID;
        for (int i = 1; i < batches && !anyIdempotent; i++) {
            anyIdempotent = view.wrap(records, summary.batchPosition(i)).producerId() != RecordBatchDescriptor.NO_PRODUCER_ID;
        }
        if (!anyIdempotent) {
            return new ProducedBatches(batches, summary.recordCount(), producerId, epoch, baseSequence, lastSequence,
                    null, null, null, null, null);
        }
        int[] positions = new int[batches];
        int[] baseSequences = new int[batches];
        int[] lastSequences = new int[batches];
        int[] offsetCounts = new int[batches];
        int[] recordCounts = new int[batches];
        for (int i = 0; i < batches; i++) {
            positions[i] = summary.batchPosition(i);
            view.wrap(records, positions[i]);
            if (view.producerId() != producerId || view.producerEpoch() != epoch) {
                return rejected(ErrorCode.INVALID_RECORD, "produce to " + tp + " rejected: batch " + i + " of "
                        + batches + " has producerId=" + view.producerId() + " epoch=" + view.producerEpoch()
                        + ", batch 0 has producerId=" + producerId + " epoch=" + epoch
                        + "; the batches of one partition in one request must come from one idempotent producer");
            }
            baseSequences[i] = view.baseSequence();
            lastSequences[i] = view.lastSequence();
            offsetCounts[i] = view.lastOffsetDelta() + 1;
            recordCounts[i] = view.recordCount();
            if (i > 0 && !BatchMetadata.inSequence(lastSequences[i - 1], baseSequences[i])) {
                return rejected(ErrorCode.INVALID_RECORD, "produce to " + tp + " rejected: batch " + i + " of "
                        + batches + " of producerId=" + producerId + " starts at sequence " + baseSequences[i]
                        + ", the batch before it ends at " + lastSequences[i - 1]
                        + "; the batches of one partition in one request must have consecutive sequences");
            }
        }
        return new ProducedBatches(batches, summary.recordCount(), producerId, epoch, baseSequence, lastSequence,
                positions, baseSequences, lastSequences, offsetCounts, recordCounts);
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
