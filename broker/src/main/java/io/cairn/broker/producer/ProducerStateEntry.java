package io.cairn.broker.producer;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The state one partition keeps for one idempotent producer: its current epoch and the last
 * {@link #MAX_BATCHES} batches it appended, oldest first.
 *
 * <p>Confined to the partition's writer thread (see {@link ProducerStateManager}).
 */
public final class ProducerStateEntry {
    /** How many batches are remembered per producer and partition; a client may have this many in flight. */
    public static final int MAX_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private long lastUpdateMs;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(MAX_BATCHES);

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

    /** Remembers an appended batch; a new epoch forgets the previous epoch's batches. */
    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            epoch = batchEpoch;
            batches.clear();
        }
        if (batches.size() == MAX_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastUpdateMs = Math.max(lastUpdateMs, batch.appendTimeMs());
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
