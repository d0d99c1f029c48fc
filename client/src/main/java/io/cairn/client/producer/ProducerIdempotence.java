package io.cairn.client.producer;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.RecordBatchDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The idempotent producer's bookkeeping: its producer id and epoch from {@code InitProducerId}, and
 * per partition the next sequence to hand out, the last sequence the broker acknowledged, and the
 * batches in flight by base sequence. The broker appends a batch only if its sequence follows the last
 * one it appended for this producer and partition, and answers a duplicate with its first offset, so
 * a retried batch is never written twice and never overtakes an earlier one.
 *
 * <p>Rules kept here: a fresh batch gets its sequence when drained; a batch that failed retriably goes
 * back to the head of its partition and is resent only when nothing else of that partition is in
 * flight (retries go one at a time, in sequence order). Fresh batches may follow a fresh head batch in
 * the same request ({@link #admitNext}); the broker appends them together, checking each as if it came
 * alone. Until the first request of a partition is acknowledged, only that request is in flight: a
 * broker that does not know the producer on a partition accepts any sequence (KIP-360), so it could
 * not reject a later batch overtaking it.
 *
 * <p>Confined to the producer's network thread, where the sender runs.
 */
final class ProducerIdempotence {
    /** Sequence state of one partition. */
    private static final class PartitionSequences {
        int nextSequence;
        int lastAckedSequence = -1;
        final TreeMap<Integer, ProducerBatch> inFlight = new TreeMap<>();
    }

    private long producerId = RecordBatchDescriptor.NO_PRODUCER_ID;
    private short epoch = RecordBatchDescriptor.NO_PRODUCER_EPOCH;
    private boolean resetNeeded;
    private final Map<TopicPartition, PartitionSequences> partitions = new HashMap<>();

    boolean hasProducerId() {
        return producerId >= 0 && !resetNeeded;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    /** Asks for a new producer id: sequences of the old one can no longer be trusted. */
    void requestReset() {
        resetNeeded = true;
    }

    boolean resetNeeded() {
        return resetNeeded || producerId < 0;
    }

    /** Installs a new producer id; every partition's sequences restart at 0. */
    void setProducerId(long id, short newEpoch) {
        this.producerId = id;
        this.epoch = newEpoch;
        this.resetNeeded = false;
        partitions.clear();
    }

    /** Whether {@code head} may be drained now; stamps a fresh batch with the next sequence. */
    boolean admit(ProducerBatch head) {
        if (!hasProducerId()) {
            return false;
        }
        PartitionSequences s = sequences(head.topicPartition);
        if (head.hasSequence()) {
            return s.inFlight.isEmpty();
        }
        if (s.lastAckedSequence < 0 && !s.inFlight.isEmpty()) {
            // Until the broker acknowledged a first batch it does not know this producer on the partition and
            // accepts any sequence, so a later batch could be appended ahead of an earlier one that failed.
            return false;
        }
        head.producerId = producerId;
        head.producerEpoch = epoch;
        head.baseSequence = s.nextSequence;
        s.nextSequence = increment(s.nextSequence, head.recordCount());
        return true;
    }

    /**
     * Whether {@code next} may follow {@code previous} (admitted just before) in the same request; stamps it
     * with the next sequence. Only fresh batches follow a fresh one: retried batches go alone, one at a time.
     */
    boolean admitNext(ProducerBatch previous, ProducerBatch next) {
        if (!hasProducerId() || next.hasSequence() || previous.everSent || previous.attempts > 0
                || previous.producerId != producerId) {
            return false;
        }
        PartitionSequences s = sequences(next.topicPartition);
        if (increment(previous.baseSequence, previous.recordCount()) != s.nextSequence) {
            return false; // previous was not the batch stamped last: keep the request's sequences consecutive
        }
        next.producerId = producerId;
        next.producerEpoch = epoch;
        next.baseSequence = s.nextSequence;
        s.nextSequence = increment(s.nextSequence, next.recordCount());
        return true;
    }

    /** Stamps a queued batch with the next sequence under the current producer id (after a reset). */
    void restamp(ProducerBatch batch) {
        PartitionSequences s = sequences(batch.topicPartition);
        batch.restamp(producerId, epoch, s.nextSequence);
        s.nextSequence = increment(s.nextSequence, batch.recordCount());
    }

    void onSent(ProducerBatch batch) {
        sequences(batch.topicPartition).inFlight.put(batch.baseSequence, batch);
    }

    void onAcked(ProducerBatch batch) {
        PartitionSequences s = sequences(batch.topicPartition);
        s.inFlight.remove(batch.baseSequence);
        if (batch.producerId == producerId) {
            int last = batch.lastSequence();
            if (s.lastAckedSequence < 0 || last > s.lastAckedSequence) {
                s.lastAckedSequence = last;
            }
        }
    }

    /** The batch's request failed (it goes back to the queue or fails for good). */
    void onNotAcked(ProducerBatch batch) {
        sequences(batch.topicPartition).inFlight.remove(batch.baseSequence);
    }

    /**
     * Whether an OUT_OF_ORDER_SEQUENCE answer to {@code batch} only means an earlier batch of the same
     * partition is missing (it failed and will be retried first), rather than a real gap.
     */
    boolean outOfOrderIsRetriable(ProducerBatch batch) {
        if (batch.producerId != producerId) {
            return true; // stamped under an older id; it will be restamped
        }
        PartitionSequences s = sequences(batch.topicPartition);
        return batch.baseSequence != increment(s.lastAckedSequence, 1);
    }

    private PartitionSequences sequences(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new PartitionSequences());
    }

    /** Sequence numbers wrap to 0 after Integer.MAX_VALUE, as in Kafka. */
    static int increment(int sequence, int by) {
        if (sequence > Integer.MAX_VALUE - by) {
            return by - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + by;
    }
}
