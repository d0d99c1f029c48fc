package io.cairn.broker.group.assignor;

import io.cairn.broker.group.Assignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server-side assignor of Cairn's consumer groups: a pure, deterministic function from the
 * members' subscriptions, the partition counts of the topics and the current target assignment to
 * the next target assignment.
 *
 * <p>Properties, all covered by tests:
 * <ul>
 *   <li><b>complete</b>: every partition of a topic that at least one member subscribes to is
 *       assigned to exactly one subscribed member;</li>
 *   <li><b>uniform</b>: when a member {@code b} subscribes to a topic of which member {@code a}
 *       holds a partition, {@code a} holds at most one partition more than {@code b}. In particular
 *       members with identical subscriptions hold partition counts that differ by at most one;</li>
 *   <li><b>sticky</b>: a member keeps every partition it had and is still subscribed to, unless it
 *       holds more than its uniform share; partitions move only from the most loaded members;</li>
 *   <li><b>deterministic</b>: equal inputs give equal outputs (members, topics and partitions are
 *       visited in sorted order, ties broken by member id).</li>
 * </ul>
 *
 * <p>Algorithm: (1) every member keeps the partitions of its current target it still subscribes
 * to (a partition claimed twice goes to the first member in id order); (2) every unowned partition
 * goes to the subscribed member with the fewest partitions, then the fewest of that topic, then the
 * smallest id; (3) while some member holds at least two partitions more than a member subscribed to
 * one of its topics, one partition moves from the most loaded such member to the least loaded one.
 * Each move lowers the sum of squared member loads, so (3) terminates.
 *
 * <p>Stateless and thread-safe.
 */
public final class UniformStickyAssignor {

    /** The name members use to ask for this assignor (the default and only server assignor). */
    public static final String NAME = "uniform";

    /**
     * Computes the next target assignment.
     *
     * @param subscriptions   member id → names of the topics it subscribes to (topics that do not
     *                        exist are ignored)
     * @param partitionCounts topic name → number of partitions, for every existing topic
     * @param currentTarget   member id → its current target (members without one start empty)
     * @return member id → its new target, for every member of {@code subscriptions}
     */
    public Map<String, Assignment> assign(Map<String, ? extends Set<String>> subscriptions,
                                          Map<String, Integer> partitionCounts,
                                          Map<String, Assignment> currentTarget) {
        List<MemberLoad> members = new ArrayList<>(subscriptions.size());
        new TreeMap<String, Set<String>>(subscriptions).forEach((memberId, topics) -> {
            TreeSet<String> existing = new TreeSet<>();
            for (String topic : topics) {
                Integer count = partitionCounts.get(topic);
                if (count != null && count > 0) {
                    existing.add(topic);
                }
            }
            members.add(new MemberLoad(memberId, existing));
        });

        Map<String, int[]> ownerByTopic = new TreeMap<>();
        for (MemberLoad member : members) {
            for (String topic : member.topics) {
                ownerByTopic.computeIfAbsent(topic, t -> {
                    int[] owners = new int[partitionCounts.get(t)];
                    Arrays.fill(owners, -1);
                    return owners;
                });
            }
        }

        retainCurrent(members, ownerByTopic, currentTarget);
        assignUnowned(members, ownerByTopic);
        balance(members);

        Map<String, Assignment> result = new HashMap<>(members.size() * 2);
        for (MemberLoad member : members) {
            result.put(member.memberId, member.toAssignment());
        }
        return result;
    }

    private static void retainCurrent(List<MemberLoad> members, Map<String, int[]> ownerByTopic,
                                      Map<String, Assignment> currentTarget) {
        for (int i = 0; i < members.size(); i++) {
            MemberLoad member = members.get(i);
            Assignment current = currentTarget.getOrDefault(member.memberId, Assignment.EMPTY);
            int index = i;
            current.forEach((topic, partition) -> {
                int[] owners = ownerByTopic.get(topic);
                if (member.topics.contains(topic) && partition < owners.length && owners[partition] == -1) {
                    owners[partition] = index;
                    member.add(topic, partition);
                }
            });
        }
    }

    private static void assignUnowned(List<MemberLoad> members, Map<String, int[]> ownerByTopic) {
        for (Map.Entry<String, int[]> entry : ownerByTopic.entrySet()) {
            String topic = entry.getKey();
            int[] owners = entry.getValue();
            List<Integer> subscribers = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).topics.contains(topic)) {
                    subscribers.add(i);
                }
            }
            for (int partition = 0; partition < owners.length; partition++) {
                if (owners[partition] != -1) {
                    continue;
                }
                int best = -1;
                for (int candidate : subscribers) {
                    if (best == -1 || lighter(members.get(candidate), members.get(best), topic)) {
                        best = candidate;
                    }
                }
                owners[partition] = best;
                members.get(best).add(topic, partition);
            }
        }
    }

    /** Whether {@code a} should receive the next partition of {@code topic} before {@code b}. */
    private static boolean lighter(MemberLoad a, MemberLoad b, String topic) {
        if (a.count != b.count) {
            return a.count < b.count;
        }
        int byTopic = Integer.compare(a.count(topic), b.count(topic));
        if (byTopic != 0) {
            return byTopic < 0;
        }
        return a.memberId.compareTo(b.memberId) < 0;
    }

    private static void balance(List<MemberLoad> members) {
        Comparator<MemberLoad> byLoad = Comparator.<MemberLoad>comparingInt(m -> m.count)
                .thenComparing(m -> m.memberId);
        TreeSet<MemberLoad> ordered = new TreeSet<>(byLoad);
        ordered.addAll(members);
        while (true) {
            MemberLoad giver = null;
            MemberLoad receiver = null;
            String topic = null;
            search:
            for (Iterator<MemberLoad> givers = ordered.descendingIterator(); givers.hasNext(); ) {
                MemberLoad candidateGiver = givers.next();
                if (candidateGiver.count < ordered.first().count + 2) {
                    break;
                }
                for (MemberLoad candidateReceiver : ordered) {
                    if (candidateReceiver.count + 2 > candidateGiver.count) {
                        break;
                    }
                    String movable = candidateGiver.topicToGive(candidateReceiver);
                    if (movable != null) {
                        giver = candidateGiver;
                        receiver = candidateReceiver;
                        topic = movable;
                        break search;
                    }
                }
            }
            if (giver == null) {
                return;
            }
            ordered.remove(giver);
            ordered.remove(receiver);
            receiver.add(topic, giver.removeHighest(topic));
            ordered.add(giver);
            ordered.add(receiver);
        }
    }

    /** A member's subscription and the partitions given to it so far. */
    private static final class MemberLoad {
        final String memberId;
        final TreeSet<String> topics;
        final TreeMap<String, TreeSet<Integer>> owned = new TreeMap<>();
        int count;

        MemberLoad(String memberId, TreeSet<String> topics) {
            this.memberId = memberId;
            this.topics = topics;
        }

        void add(String topic, int partition) {
            if (owned.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition)) {
                count++;
            }
        }

        int removeHighest(String topic) {
            TreeSet<Integer> partitions = owned.get(topic);
            int partition = partitions.pollLast();
            if (partitions.isEmpty()) {
                owned.remove(topic);
            }
            count--;
            return partition;
        }

        int count(String topic) {
            TreeSet<Integer> partitions = owned.get(topic);
            return partitions == null ? 0 : partitions.size();
        }

        /**
         * The topic to hand one partition of to {@code receiver}: among the topics this member holds
         * and the receiver subscribes to, the one where this member leads the receiver most (first
         * by name on ties), so topics also spread evenly; null when there is none.
         */
        String topicToGive(MemberLoad receiver) {
            String best = null;
            int bestLead = Integer.MIN_VALUE;
            for (Map.Entry<String, TreeSet<Integer>> entry : owned.entrySet()) {
                if (!receiver.topics.contains(entry.getKey())) {
                    continue;
                }
                int lead = entry.getValue().size() - receiver.count(entry.getKey());
                if (lead > bestLead) {
                    best = entry.getKey();
                    bestLead = lead;
                }
            }
            return best;
        }

        Assignment toAssignment() {
            Assignment.Builder builder = Assignment.builder();
            owned.forEach(builder::addAll);
            return builder.build();
        }
    }
}
