package io.cairn.reliability.soak;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the soak's producers had acknowledged and what its consumer group read, for topics under
 * retention, in bits: one bit per record id (stream, sequence) acknowledged, one per record id
 * consumed, one per partition offset consumed. A few megabits for a long run, so the ledger itself
 * does not make the heap grow in a way that hides a leak.
 *
 * <p>Definitions used by {@link #verdict}:
 * <ul>
 *   <li><b>delivery duplicate</b>: the group consumed the same partition offset twice;</li>
 *   <li><b>log duplicate</b>: one record id consumed at two different offsets (it was appended twice);</li>
 *   <li><b>skipped by retention</b>: an offset never consumed that lies below the partition's final
 *       log start offset (retention deleted it before the group read it: the group fell behind);</li>
 *   <li><b>unconsumed in log</b>: an offset never consumed that is still in the log (the group did not finish);</li>
 *   <li><b>lost</b>: an acknowledged id never consumed that retention does not explain, i.e. the
 *       acknowledged-but-unconsumed count minus the skipped-by-retention count (exact when nothing
 *       was skipped, which the soak is designed for).</li>
 * </ul>
 *
 * <p>Thread-safe: producers' callback threads and consumer threads call it concurrently; every method
 * takes the ledger's lock (a few thousand calls a second, uncontended in practice).
 */
final class DeliveryLedger {
    private final Map<Integer, BitSet> acked = new HashMap<>();
    private final Map<Integer, BitSet> consumedIds = new HashMap<>();
    private final Map<String, BitSet> consumedOffsets = new HashMap<>();
    private final Map<String, Long> nextOffsetConsumed = new HashMap<>();
    private long ackedCount;
    private long failedCount;
    private long consumedCount;
    private long deliveryDuplicates;
    private long logDuplicates;

    synchronized void acked(int stream, long sequence) {
        BitSet bits = acked.computeIfAbsent(stream, s -> new BitSet());
        int index = index(sequence);
        if (!bits.get(index)) {
            bits.set(index);
            ackedCount++;
        }
    }

    synchronized void failed() {
        failedCount++;
    }

    /** Records that the group consumed {@code (stream, sequence)} at {@code offset} of {@code partition}. */
    synchronized void consumed(String partition, long offset, int stream, long sequence) {
        if (!markOffsetConsumed(partition, offset)) {
            return;
        }
        BitSet ids = consumedIds.computeIfAbsent(stream, s -> new BitSet());
        int idIndex = index(sequence);
        if (ids.get(idIndex)) {
            logDuplicates++;
        } else {
            ids.set(idIndex);
        }
    }

    /** Records that the group consumed a tombstone (no id) at {@code offset} of {@code partition}. */
    synchronized void consumedTombstone(String partition, long offset) {
        markOffsetConsumed(partition, offset);
    }

    /** Counts one record consumed at {@code offset}; false if the group had consumed that offset before (a delivery duplicate). */
    private boolean markOffsetConsumed(String partition, long offset) {
        consumedCount++;
        BitSet offsets = consumedOffsets.computeIfAbsent(partition, p -> new BitSet());
        int offsetIndex = index(offset);
        if (offsets.get(offsetIndex)) {
            deliveryDuplicates++;
            return false;
        }
        offsets.set(offsetIndex);
        nextOffsetConsumed.merge(partition, offset + 1, Math::max);
        return true;
    }

    synchronized long deliveryDuplicates() {
        return deliveryDuplicates;
    }

    synchronized long logDuplicates() {
        return logDuplicates;
    }

    synchronized long ackedCount() {
        return ackedCount;
    }

    synchronized long failedCount() {
        return failedCount;
    }

    synchronized long consumedCount() {
        return consumedCount;
    }

    /** One past the highest offset of {@code partition} the group consumed; 0 if none. */
    synchronized long nextOffsetConsumed(String partition) {
        return nextOffsetConsumed.getOrDefault(partition, 0L);
    }

    /** Bytes held by the bit sets, to be told apart from what the broker holds. */
    synchronized long bitSetBytes() {
        return bytes(acked) + bytes(consumedIds) + bytes(consumedOffsets);
    }

    private static long bytes(Map<?, BitSet> bitSets) {
        return bitSets.values().stream().mapToLong(b -> b.size() / 8).sum();
    }

    /**
     * Compares acknowledged with consumed ids, given each partition's final log start and end offsets.
     * Partitions the group never read from count with all their offsets.
     */
    synchronized Verdict verdict(Map<String, LogBounds> bounds) {
        long ackedNotConsumed = countNotIn(acked, consumedIds);
        long consumedNotAcked = countNotIn(consumedIds, acked);
        long skipped = 0;
        long unconsumedInLog = 0;
        List<String> unfinished = new ArrayList<>();
        for (Map.Entry<String, LogBounds> e : bounds.entrySet()) {
            BitSet offsets = consumedOffsets.getOrDefault(e.getKey(), new BitSet());
            LogBounds b = e.getValue();
            long start = Math.min(b.logStartOffset(), b.logEndOffset());
            long skippedHere = start - offsets.get(0, index(start)).cardinality();
            long inLog = (b.logEndOffset() - start) - offsets.get(index(start), index(b.logEndOffset())).cardinality();
            skipped += skippedHere;
            unconsumedInLog += inLog;
            if (inLog > 0) {
                unfinished.add(e.getKey() + " (" + inLog + " of [" + start + ", " + b.logEndOffset() + "))");
            }
        }
        long lost = Math.max(0, ackedNotConsumed - skipped);
        return new Verdict(ackedCount, failedCount, consumedCount, ackedNotConsumed, consumedNotAcked, skipped,
                unconsumedInLog, lost, deliveryDuplicates, logDuplicates, unfinished);
    }

    /** How many ids set in {@code ids} are not set in {@code others} for the same stream. */
    private static long countNotIn(Map<Integer, BitSet> ids, Map<Integer, BitSet> others) {
        long count = 0;
        for (Map.Entry<Integer, BitSet> e : ids.entrySet()) {
            BitSet notIn = (BitSet) e.getValue().clone();
            BitSet other = others.get(e.getKey());
            if (other != null) {
                notIn.andNot(other);
            }
            count += notIn.cardinality();
        }
        return count;
    }

    private static int index(long value) {
        if (value < 0 || value > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("offset or sequence " + value + " outside the ledger's range [0, "
                    + (Integer.MAX_VALUE - 64) + "]");
        }
        return (int) value;
    }

    /** A partition's log start and end offsets at the end of the run. */
    record LogBounds(long logStartOffset, long logEndOffset) {
    }

    /** The outcome for the topics under retention; see the class comment for the definitions. */
    record Verdict(long acked, long failed, long consumed, long ackedNotConsumed, long consumedNotAcked,
                   long skippedByRetention, long unconsumedInLog, long lost, long deliveryDuplicates,
                   long logDuplicates, List<String> unfinishedPartitions) {
        long duplicates() {
            return deliveryDuplicates + logDuplicates;
        }

        boolean clean() {
            return failed == 0 && lost == 0 && duplicates() == 0 && skippedByRetention == 0 && unconsumedInLog == 0
                    && consumedNotAcked == 0;
        }
    }
}
