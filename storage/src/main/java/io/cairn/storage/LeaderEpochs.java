package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.NO_PARTITION_LEADER_EPOCH;

import java.util.Arrays;

/**
 * The leader epochs of one partition's log with the offset at which each began, oldest first (the
 * model of Kafka's leader-epoch cache). Entry {@code i} says that every batch whose base offset
 * lies in {@code [startOffset(i), startOffset(i + 1))} was appended by the leader of
 * {@code epoch(i)} and carries it in its {@code partitionLeaderEpoch} header field. Epochs and start
 * offsets both strictly increase; epochs are never negative.
 *
 * <p>{@code partitionLeaderEpoch} is outside the batch CRC, so this is what protects it: a batch
 * whose field differs from {@link #expectedEpoch(int) the epoch of its range} is damaged. That one
 * compare covers every rule an epoch obeys: not negative, not above the partition's latest epoch,
 * not below the epoch of an earlier batch (epochs never decrease along a log).
 *
 * <p>One exception, for data written before epochs were checked: an empty batch (no records) with
 * epoch {@code -1}, which the cleaner used to write for offsets whose records were all removed.
 * No single flipped bit turns a valid epoch into {@code -1}.
 *
 * <p>Immutable. The log publishes a new instance through a volatile field (writer, under the log's
 * lock: a new epoch, a truncation); readers use the instance they read.
 */
final class LeaderEpochs {
    static final LeaderEpochs EMPTY = new LeaderEpochs(new int[0], new long[0]);
    /** {@link #expectedEpoch(int)} for an offset no entry covers: equal to no int. */
    static final long NO_EPOCH = Long.MIN_VALUE;

    private final int[] epochs;
    private final long[] startOffsets;

    /** @throws IllegalArgumentException unless both arrays have the same length and the entries obey the rules above */
    LeaderEpochs(int[] epochs, long[] startOffsets) {
        if (epochs.length != startOffsets.length) {
            throw new IllegalArgumentException(epochs.length + " epochs but " + startOffsets.length + " start offsets");
        }
        for (int i = 0; i < epochs.length; i++) {
            if (epochs[i] < 0 || startOffsets[i] < 0) {
                throw new IllegalArgumentException("negative entry " + epochs[i] + "@" + startOffsets[i]);
            }
            if (i > 0 && (epochs[i] <= epochs[i - 1] || startOffsets[i] <= startOffsets[i - 1])) {
                throw new IllegalArgumentException("entry " + epochs[i] + "@" + startOffsets[i] + " does not follow "
                    + epochs[i - 1] + "@" + startOffsets[i - 1] + " (both must increase)");
            }
        }
        this.epochs = epochs.clone();
        this.startOffsets = startOffsets.clone();
    }

    int size() {
        return epochs.length;
    }

    int epoch(int slot) {
        return epochs[slot];
    }

    long startOffset(int slot) {
        return startOffsets[slot];
    }

    /** The newest epoch; -1 if there is none yet (nothing appended). */
    int latestEpoch() {
        return epochs.length == 0 ? NO_PARTITION_LEADER_EPOCH : epochs[epochs.length - 1];
    }

    /** The entry covering {@code offset} (the last one starting at or before it); -1 if none does. Newest first: reads are mostly near the end. */
    int slotFor(long offset) {
        int i = startOffsets.length - 1;
        if (i >= 0 && startOffsets[i] <= offset) {
            return i;
        }
        int lo = 0;
        int hi = i - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (startOffsets[mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** First offset after {@code slot}'s range: the next entry's start ({@link Long#MAX_VALUE} after the last; the first entry's start for -1). */
    long endOf(int slot) {
        int next = slot + 1;
        return next < startOffsets.length ? startOffsets[next] : Long.MAX_VALUE;
    }

    /** The epoch a batch in {@code slot}'s range must carry, widened; {@link #NO_EPOCH} for -1. */
    long expectedEpoch(int slot) {
        return slot < 0 ? NO_EPOCH : epochs[slot];
    }

    /** True for the one batch kind exempt from the check: an empty batch with epoch -1 (see class comment). */
    static boolean exempt(int epoch, int recordCount) {
        return epoch == NO_PARTITION_LEADER_EPOCH && recordCount == 0;
    }

    /**
     * Why a batch at {@code baseOffset} carrying {@code epoch} does not match (cold path, for the
     * corruption report).
     */
    String mismatch(int epoch, long baseOffset) {
        int slot = slotFor(baseOffset);
        String rule;
        if (epoch < 0) {
            rule = "negative";
        } else if (epoch > latestEpoch()) {
            rule = "above the partition's latest epoch " + latestEpoch();
        } else if (slot >= 0 && epoch < epochs[slot]) {
            rule = "below epoch " + epochs[slot] + " which began at offset " + startOffsets[slot]
                + " (epochs never decrease along a log)";
        } else if (slot < 0) {
            rule = "at an offset before the first epoch began (offset " + (startOffsets.length == 0 ? "none"
                : startOffsets[0]) + ")";
        } else {
            rule = "not epoch " + epochs[slot] + " of offsets [" + startOffsets[slot] + ", "
                + (slot + 1 < startOffsets.length ? startOffsets[slot + 1] + ")" : "end)");
        }
        return "partitionLeaderEpoch=" + epoch + " at baseOffset=" + baseOffset + " is " + rule
            + " (leader epochs " + this + ")";
    }

    /**
     * With {@code epoch} beginning at {@code startOffset} (the log end offset). An entry beginning
     * at the same offset is replaced (an epoch without batches).
     *
     * @throws IllegalArgumentException if {@code epoch} is not above the latest, or the offset is below the last entry's
     */
    LeaderEpochs withEpoch(int epoch, long startOffset) {
        int n = epochs.length;
        if (n > 0 && epoch <= epochs[n - 1]) {
            throw new IllegalArgumentException("leader epoch " + epoch + " is not above the latest " + epochs[n - 1]);
        }
        int keep = n > 0 && startOffsets[n - 1] == startOffset ? n - 1 : n;
        int[] e = Arrays.copyOf(epochs, keep + 1);
        long[] s = Arrays.copyOf(startOffsets, keep + 1);
        e[keep] = epoch;
        s[keep] = startOffset;
        return new LeaderEpochs(e, s);
    }

    /** Without the entries that begin at or after {@code endOffset} (they cover no batch of a log ending there); this if none does. */
    LeaderEpochs truncatedTo(long endOffset) {
        int keep = 0;
        while (keep < startOffsets.length && startOffsets[keep] < endOffset) {
            keep++;
        }
        return keep == startOffsets.length ? this
            : new LeaderEpochs(Arrays.copyOf(epochs, keep), Arrays.copyOf(startOffsets, keep));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaderEpochs other && Arrays.equals(epochs, other.epochs)
            && Arrays.equals(startOffsets, other.startOffsets);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(epochs) + Arrays.hashCode(startOffsets);
    }

    /** {@code [epoch@startOffset, ...]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < epochs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(epochs[i]).append('@').append(startOffsets[i]);
        }
        return sb.append(']').toString();
    }
}
