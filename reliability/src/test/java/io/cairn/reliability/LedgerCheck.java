package io.cairn.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The ledger of acknowledged records checked against the log read back: every acknowledged record
 * present exactly once, at the offset it was acknowledged with, and each producer's records of a
 * partition in the order it sent them.
 *
 * @param acked       acknowledged records checked
 * @param logRecords  records in the log (acknowledged or not)
 * @param lost        acknowledged records found nowhere in the log
 * @param duplicates  record ids found more than once in the log
 * @param misplaced   acknowledged records found, but not at their acknowledged offset
 * @param reordered   pairs of one producer's records of a partition whose offsets are not in send order
 * @param examples    the first problems, for the failure message
 */
record LedgerCheck(long acked, long logRecords, long lost, long duplicates, long misplaced, long reordered,
                   List<String> examples) {

    private static final int MAX_EXAMPLES = 20;

    static LedgerCheck of(AckLedger ledger, LogContents log) {
        List<String> examples = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        for (NavigableMap<Long, String> partition : log.partitions().values()) {
            for (String value : partition.values()) {
                occurrences.merge(value, 1, Integer::sum);
            }
        }
        long duplicates = 0;
        for (Map.Entry<String, Integer> e : occurrences.entrySet()) {
            if (e.getValue() > 1) {
                duplicates++;
                note(examples, "duplicate: " + e.getKey() + " appears " + e.getValue() + " times");
            }
        }
        long lost = 0;
        long misplaced = 0;
        Map<String, List<AckLedger.Ack>> byProducerPartition = new HashMap<>();
        Map<String, AckLedger.Ack> acks = ledger.acks();
        for (AckLedger.Ack ack : acks.values()) {
            String at = log.partition(ack.partition()).get(ack.offset());
            if (!occurrences.containsKey(ack.id())) {
                lost++;
                note(examples, "lost: " + ack);
            } else if (!ack.id().equals(at)) {
                misplaced++;
                note(examples, "misplaced: " + ack + " but that offset holds " + at);
            }
            byProducerPartition.computeIfAbsent(ack.producer() + "/" + ack.partition(), k -> new ArrayList<>()).add(ack);
        }
        long reordered = 0;
        for (List<AckLedger.Ack> list : byProducerPartition.values()) {
            list.sort(Comparator.comparingLong(AckLedger.Ack::sequence));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).offset() <= list.get(i - 1).offset()) {
                    reordered++;
                    note(examples, "out of send order: " + list.get(i - 1) + " then " + list.get(i));
                }
            }
        }
        return new LedgerCheck(acks.size(), log.recordCount(), lost, duplicates, misplaced, reordered, examples);
    }

    private static void note(List<String> examples, String problem) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(problem);
        }
    }

    boolean clean() {
        return lost == 0 && duplicates == 0 && misplaced == 0 && reordered == 0;
    }

    @Override
    public String toString() {
        return "acked=" + acked + " logRecords=" + logRecords + " lost=" + lost + " duplicates=" + duplicates
            + " misplaced=" + misplaced + " reordered=" + reordered + (examples.isEmpty() ? "" : " first problems: " + examples);
    }
}
