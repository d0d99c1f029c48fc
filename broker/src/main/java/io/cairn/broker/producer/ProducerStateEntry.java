package io.cairn.broker.producer;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The state one partition keeps for one idempotent producer: its current epoch and the batches of
 * its last {@link #MAX_BATCHES} appends, oldest first. An append is one batch, or the consecutive
 * batches that one produce request carried for the partition, so a producer with
 * {@link #MAX_BATCHES} requests in flight has every batch of them remembered however many each
 * carries (at most {@link #MAX_REMEMBERED_BATCHES} batches in all).
 *
 * <p>Confined to the partition's writer thread (see {@link ProducerStateManager}).
 */
public final class ProducerStateEntry {
    /** How many appends are remembered per producer and partition; a client may have this many requests in flight. */
    public static final int MAX_BATCHES = 5;
    /**
     * The most batches remembered per producer and partition, whatever the appends held: five requests of
     * {@link #MAX_BATCHES_PER_APPEND} batches. Below 128, so a snapshot's one-byte count holds it.
     */
    public static final int MAX_REMEMBERED_BATCHES = 125;
    /** The most batches of one partition a producer should send in one request to have them all remembered. */
    public static final int MAX_BATCHES_PER_APPEND = MAX_REMEMBERED_BATCHES / MAX_BATCHES;

    private final long producerId;
    private short epoch;
    private long lastUpdateMs;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(MAX_BATCHES);
    /** How many of {@link #batches} each remembered append holds, oldest first. */
    private final ArrayDeque<Integer> appendSizes = new ArrayDeque<>(MAX_BATCHES);

    ProducerStateEntry(long producerId, short epoch, long lastUpdateMs) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastUpdateMs = lastUpdateMs;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public long lastUpdateMs() {
        return lastUpdateMs;
    }

    /** Remembered batches, oldest first. */
    public List<BatchMetadata> batches() {
        return Collections.unmodifiableList(List.copyOf(batches));
    }

    /** Sequence of the newest remembered batch's last record, or -1 when none is remembered. */
    public int lastSeq() {
        BatchMetadata last = batches.peekLast();
        return last == null ? -1 : last.lastSeq();
    }

    /** The remembered batch with exactly this sequence range, or null. */
    BatchMetadata findDuplicate(int firstSeq, int lastSeq) {
        for (Iterator<BatchMetadata> it = batches.descendingIterator(); it.hasNext(); ) {
            BatchMetadata batch = it.next();
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    /** Remembers a batch appended on its own; a new epoch forgets the previous epoch's batches. */
    void add(short batchEpoch, BatchMetadata batch) {
        add(batchEpoch, batch, false);
    }

    /**
     * Remembers an appended batch; a new epoch forgets the previous epoch's batches.
     *
     * @param sameAppend whether the batch was written by the same append as the newest remembered one
     */
    void add(short batchEpoch, BatchMetadata batch, boolean sameAppend) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
            appendSizes.clear();
        }
        if (sameAppend && !appendSizes.isEmpty()) {
            appendSizes.addLast(appendSizes.removeLast() + 1);
        } else {
            appendSizes.addLast(1);
            if (appendSizes.size() > MAX_BATCHES) {
                for (int n = appendSizes.removeFirst(); n > 0; n--) {
                    batches.removeFirst();
                }
            }
        }
        batches.addLast(batch);
        if (batches.size() > MAX_REMEMBERED_BATCHES) {
            batches.removeFirst();
            int oldest = appendSizes.removeFirst() - 1;
            if (oldest > 0) {
                appendSizes.addFirst(oldest);
            }
        }
        lastUpdateMs = Math.max(lastUpdateMs, batch.appendTimeMs());
    }

    /**
     * Remembers a batch read back from the log or a snapshot: one that continues the newest remembered
     * batch in both sequence and offset (no other producer's batch between them) is counted in its
     * append, so the appends rebuilt this way cover at least the appends the producer made.
     */
    void addReplayed(short batchEpoch, BatchMetadata batch) {
        BatchMetadata last = batches.peekLast();
        boolean continues = last != null && batchEpoch == epoch && BatchMetadata.inSequence(last.lastSeq(), batch.firstSeq())
                && batch.firstOffset() == last.lastOffset() + 1;
        add(batchEpoch, batch, continues);
    }

    void restoreLastUpdate(long lastUpdateMs) {
        this.lastUpdateMs = lastUpdateMs;
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    @Override
    public String toString() {
        return "ProducerStateEntry{producerId=" + producerId + ", epoch=" + epoch + ", lastUpdateMs=" + lastUpdateMs
                + ", batches=" + batches + '}';
    }
}
