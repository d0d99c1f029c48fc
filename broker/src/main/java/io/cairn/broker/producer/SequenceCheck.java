package io.cairn.broker.producer;

/**
 * The verdict of {@link ProducerStateManager#check} on one idempotent batch. Expected outcomes
 * are values: a duplicate carries the original batch, a rejection carries a message naming the
 * partition, producer, epoch and sequences.
 *
 * @param outcome     what the writer must do with the batch
 * @param duplicateOf for {@link Outcome#DUPLICATE}: the batch appended earlier, else null
 * @param message     for a rejection: why, else null
 */
public record SequenceCheck(Outcome outcome, BatchMetadata duplicateOf, String message) {

    /** What the writer does with the batch. */
    public enum Outcome {
        /** Append it. */
        ACCEPT,
        /** Do not append; answer with the original offsets. */
        DUPLICATE,
        /** A gap or a replay older than the remembered window. */
        OUT_OF_ORDER_SEQUENCE,
        /** The producer has been fenced by a newer epoch. */
        INVALID_PRODUCER_EPOCH
    }

    static final SequenceCheck ACCEPTED = new SequenceCheck(Outcome.ACCEPT, null, null);

    static SequenceCheck duplicate(BatchMetadata original) {
        return new SequenceCheck(Outcome.DUPLICATE, original, null);
    }

    static SequenceCheck rejected(Outcome outcome, String message) {
        return new SequenceCheck(outcome, null, message);
    }
}
