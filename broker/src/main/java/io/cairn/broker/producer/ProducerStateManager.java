package io.cairn.broker.producer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Idempotent-producer state of one partition: per producer id, the epoch and the last five
 * batches' sequence ranges and offsets. The writer asks {@link #check} before appending a batch
 * and calls {@link #record} once the log has given it offsets.
 *
 * <p>Rules (Kafka's): a batch of an older epoch is fenced ({@code INVALID_PRODUCER_EPOCH}); a newer
 * epoch must start at sequence 0; within an epoch a batch whose sequence range equals a
 * remembered batch is a duplicate (the batches of the last five appends are remembered, an append
 * being one batch or the consecutive batches one request carried), answered with the original offsets and not appended again; any
 * other batch must start right after the last remembered sequence, else
 * {@code OUT_OF_ORDER_SEQUENCE}. A producer id this partition does not know (never seen, or
 * expired after {@code producer.id.expiration.ms}) is accepted at any sequence, as Kafka does since
 * KIP-360: after expiry the broker cannot tell a gap from a producer that was idle too long.
 *
 * <p>Confined to the partition's writer thread; {@link #snapshot} is taken there too.
 */
public final class ProducerStateManager {
    private final String partitionName;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    /** @param partitionName "topic-partition", for messages */
    public ProducerStateManager(String partitionName) {
        this.partitionName = partitionName;
    }

    /** Decides what to do with a batch of {@code producerId}; changes nothing. */
    public SequenceCheck check(long producerId, short epoch, int firstSeq, int lastSeq) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null || entry.isEmpty()) {
            return SequenceCheck.ACCEPTED;
        }
        if (epoch < entry.epoch()) {
            return SequenceCheck.rejected(SequenceCheck.Outcome.INVALID_PRODUCER_EPOCH,
                    "producer " + producerId + " in " + partitionName + ": epoch " + epoch
                            + " is older than the current epoch " + entry.epoch());
        }
        if (epoch > entry.epoch()) {
            if (firstSeq != 0) {
                return SequenceCheck.rejected(SequenceCheck.Outcome.OUT_OF_ORDER_SEQUENCE,
                        "producer " + producerId + " in " + partitionName + ": new epoch " + epoch
                                + " must start at sequence 0, got " + firstSeq);
            }
            return SequenceCheck.ACCEPTED;
        }
        BatchMetadata original = entry.findDuplicate(firstSeq, lastSeq);
        if (original != null) {
            return SequenceCheck.duplicate(original);
        }
        if (!BatchMetadata.inSequence(entry.lastSeq(), firstSeq)) {
            return SequenceCheck.rejected(SequenceCheck.Outcome.OUT_OF_ORDER_SEQUENCE,
                    "producer " + producerId + " epoch " + epoch + " in " + partitionName + ": expected sequence "
                            + (entry.lastSeq() == Integer.MAX_VALUE ? 0 : entry.lastSeq() + 1) + ", got batch "
                            + firstSeq + ".." + lastSeq);
        }
        return SequenceCheck.ACCEPTED;
    }

    /** Remembers a batch the log has appended on its own at {@code firstOffset..lastOffset}. */
    public void record(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                       long nowMs) {
        record(producerId, epoch, firstSeq, lastSeq, firstOffset, lastOffset, nowMs, false);
    }

    /**
     * Remembers a batch the log has appended at {@code firstOffset..lastOffset}.
     *
     * @param sameAppend whether the same append wrote the batch recorded just before it (several batches of
     *                   one request): the remembered window counts appends, not batches
     */
    public void record(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                       long nowMs, boolean sameAppend) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerStateEntry(producerId, epoch, nowMs);
            producers.put(producerId, entry);
        }
        entry.add(epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, nowMs), sameAppend);
    }

    /**
     * Remembers a batch read back from the log at start-up; one that continues the producer's newest batch
     * in sequence and offset counts in its append (see {@link ProducerStateEntry#addReplayed}).
     */
    public void recordReplayed(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset,
                               long lastOffset, long nowMs) {
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerStateEntry(producerId, epoch, nowMs);
            producers.put(producerId, entry);
        }
        entry.addReplayed(epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, nowMs));
    }

    /** Forgets producers idle for {@code expirationMs} or longer; returns how many were removed. */
    public int removeExpired(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastUpdateMs() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** The entry of {@code producerId}, or null. */
    public ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    public int producerCount() {
        return producers.size();
    }

    /** A copy of the state as of {@code logEndOffset} (the next offset the log will assign). */
    public ProducerStateSnapshot snapshot(long logEndOffset) {
        List<ProducerStateSnapshot.Producer> copy = new ArrayList<>(producers.size());
        for (ProducerStateEntry entry : producers.values()) {
            copy.add(new ProducerStateSnapshot.Producer(entry.producerId(), entry.epoch(), entry.lastUpdateMs(),
                    entry.batches()));
        }
        return new ProducerStateSnapshot(logEndOffset, copy);
    }

    /** Replaces the state with a snapshot's. */
    public void restore(ProducerStateSnapshot snapshot) {
        producers.clear();
        Collection<ProducerStateSnapshot.Producer> restored = snapshot.producers();
        for (ProducerStateSnapshot.Producer p : restored) {
            ProducerStateEntry entry = new ProducerStateEntry(p.producerId(), p.epoch(), p.lastUpdateMs());
            for (BatchMetadata batch : p.batches()) {
                entry.addReplayed(p.epoch(), batch);
            }
            entry.restoreLastUpdate(p.lastUpdateMs());
            producers.put(p.producerId(), entry);
        }
    }

    public String partitionName() {
        return partitionName;
    }
}
