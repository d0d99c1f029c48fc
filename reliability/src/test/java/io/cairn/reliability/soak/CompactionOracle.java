package io.cairn.reliability.soak;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The expected content of the compacted topic: for each key of a bounded key space, the
 * acknowledged write with the highest offset (keys always map to one partition, so the highest
 * offset is the last write in the log), either a value (its record id) or a tombstone.
 *
 * <p>After compaction has run over the whole log, reading the topic from the beginning must give,
 * per key, exactly that last write's value once, and no record at all for a key whose last write
 * is a tombstone older than {@code delete.retention.ms}.
 *
 * <p>Thread-safe: producer callback threads record acknowledgements concurrently.
 */
final class CompactionOracle {
    private static final String KEY_PREFIX = "key-";
    private final long[] offsets;
    private final long[] sequences;
    private final int[] streams;
    private final boolean[] tombstones;
    private long acked;
    private long ackedTombstones;

    CompactionOracle(int keySpace) {
        offsets = new long[keySpace];
        Arrays.fill(offsets, -1);
        sequences = new long[keySpace];
        streams = new int[keySpace];
        tombstones = new boolean[keySpace];
    }

    static String key(int keyNumber) {
        return KEY_PREFIX + keyNumber;
    }

    int keySpace() {
        return offsets.length;
    }

    /** An acknowledged write of {@code key(keyNumber)} at {@code offset}: a value with that id, or a tombstone. */
    synchronized void acked(int keyNumber, long offset, int stream, long sequence, boolean tombstone) {
        acked++;
        if (tombstone) {
            ackedTombstones++;
        }
        if (offset > offsets[keyNumber]) {
            offsets[keyNumber] = offset;
            streams[keyNumber] = stream;
            sequences[keyNumber] = sequence;
            tombstones[keyNumber] = tombstone;
        }
    }

    synchronized long ackedWrites() {
        return acked;
    }

    synchronized long ackedTombstones() {
        return ackedTombstones;
    }

    /**
     * Checks a full read of the compacted topic (every record still in the log, in any order) taken
     * after the cleaner went over all of it and after every tombstone's {@code delete.retention.ms}.
     * Records whose key is not one of the oracle's keys (e.g. the records that rolled the segments) are ignored.
     */
    synchronized Verdict check(Iterable<LogRecord> log) {
        Map<Integer, Integer> copies = new HashMap<>();
        Map<Integer, LogRecord> newest = new HashMap<>();
        long tombstonesLeft = 0;
        long records = 0;
        for (LogRecord r : log) {
            if (r.key() == null || !r.key().startsWith(KEY_PREFIX)) {
                continue;
            }
            records++;
            int keyNumber = Integer.parseInt(r.key().substring(KEY_PREFIX.length()));
            copies.merge(keyNumber, 1, Integer::sum);
            if (r.value() == null) {
                tombstonesLeft++;
            }
            LogRecord prev = newest.get(keyNumber);
            if (prev == null || r.offset() > prev.offset()) {
                newest.put(keyNumber, r);
            }
        }
        long wrongValue = 0;
        long missing = 0;
        long shouldBeGone = 0;
        long liveKeys = 0;
        for (int k = 0; k < offsets.length; k++) {
            LogRecord found = newest.get(k);
            boolean expectPresent = offsets[k] >= 0 && !tombstones[k];
            if (expectPresent) {
                liveKeys++;
            }
            if (!expectPresent) {
                if (found != null && found.value() != null) {
                    shouldBeGone++;
                }
            } else if (found == null || found.value() == null) {
                missing++;
            } else if (found.offset() != offsets[k] || RecordId.stream(found.value()) != streams[k]
                    || RecordId.sequence(found.value()) != sequences[k]) {
                wrongValue++;
            }
        }
        long duplicateCopies = copies.values().stream().mapToLong(c -> c - 1).sum();
        return new Verdict(acked, ackedTombstones, liveKeys, records, missing, wrongValue, shouldBeGone,
                duplicateCopies, tombstonesLeft);
    }

    /** One record read back from the compacted topic; {@code value} null for a tombstone. */
    record LogRecord(String key, long offset, byte[] value) {
    }

    /**
     * The outcome: {@code missing} live keys absent or tombstoned, {@code wrongValue} keys whose
     * newest record is not the last acknowledged write, {@code shouldBeGone} tombstoned keys still
     * holding a value, {@code duplicateCopies} records beyond one per key (compaction left them),
     * {@code tombstonesLeft} tombstones older than {@code delete.retention.ms} still in the log.
     */
    record Verdict(long ackedWrites, long ackedTombstones, long expectedLiveKeys, long recordsInLog, long missing,
                   long wrongValue, long shouldBeGone, long duplicateCopies, long tombstonesLeft) {
        boolean valuesCorrect() {
            return missing == 0 && wrongValue == 0 && shouldBeGone == 0;
        }

        boolean compacted() {
            return duplicateCopies == 0 && tombstonesLeft == 0;
        }
    }
}
