package io.cairn.broker.producer;

/**
 * What the broker remembers of one appended idempotent batch: its sequence range and the
 * offsets it was given, so that a retried copy can be answered with the original offsets.
 *
 * @param firstSeq     the batch's baseSequence
 * @param lastSeq      sequence of the last record ({@code RecordBatch.lastSequence()}, wrapping to 0)
 * @param firstOffset  offset assigned to the first record
 * @param lastOffset   offset assigned to the last record
 * @param appendTimeMs broker clock when the batch was appended (or replayed at start-up)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long appendTimeMs) {

    /** True when {@code nextFirstSeq} directly follows {@code lastSeq} (wrapping at Integer.MAX_VALUE). */
    public static boolean inSequence(int lastSeq, int nextFirstSeq) {
        return nextFirstSeq == lastSeq + 1L || (nextFirstSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}
