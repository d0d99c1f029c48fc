package io.cairn.broker.group.assignor;

import io.cairn.broker.group.Assignment;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class UniformStickyAssignorTest {

    private final UniformStickyAssignor assignor = new UniformStickyAssignor();

    /** Members, their subscriptions, topics and a previous target (possibly stale or conflicting). */
    record Input(Map<String, Set<String>> subscriptions, Map<String, Integer> partitionCounts,
                 Map<String, Assignment> currentTarget) {
    }

    @Test
    void threeMembersSplitSixPartitionsTwoEach() {
        Map<String, Assignment> result = assignor.assign(
                Map.of("a", Set.of("t"), "b", Set.of("t"), "c", Set.of("t")), Map.of("t", 6), Map.of());
        assertThat(result.values()).allSatisfy(a -> assertThat(a.size()).isEqualTo(2));
        assertValid(new Input(Map.of("a", Set.of("t"), "b", Set.of("t"), "c", Set.of("t")), Map.of("t", 6), Map.of()),
                result);
    }

    @Test
    void partitionsOfSeveralTopicsSpreadPerTopic() {
        Map<String, Assignment> result = assignor.assign(
                Map.of("a", Set.of("x", "y"), "b", Set.of("x", "y")), Map.of("x", 2, "y", 2), Map.of());
        assertThat(result.get("a").partitionCount("x")).isEqualTo(1);
        assertThat(result.get("a").partitionCount("y")).isEqualTo(1);
    }

    @Test
    void membersWithoutExistingTopicsGetNothingAndUnsubscribedTopicsStayUnassigned() {
        Map<String, Assignment> result = assignor.assign(
                Map.of("a", Set.of("missing"), "b", Set.of("t")), Map.of("t", 3, "other", 4), Map.of());
        assertThat(result.get("a")).isEqualTo(Assignment.EMPTY);
        assertThat(result.get("b")).isEqualTo(Assignment.ofTopic("t", 0, 1, 2));
    }

    @Test
    void aPartitionClaimedTwiceInTheCurrentTargetGoesToOneMember() {
        Map<String, Assignment> result = assignor.assign(Map.of("a", Set.of("t"), "b", Set.of("t")), Map.of("t", 2),
                Map.of("a", Assignment.ofTopic("t", 0, 1), "b", Assignment.ofTopic("t", 0, 7)));
        assertThat(result.get("a").size() + result.get("b").size()).isEqualTo(2);
        assertThat(result.get("a").intersects(result.get("b"))).isFalse();
    }

    @Property(tries = 300)
    void assignmentsAreCompleteValidUniformAndDeterministic(@ForAll("inputs") Input input) {
        Map<String, Assignment> result = assignor.assign(input.subscriptions, input.partitionCounts, input.currentTarget);
        assertValid(input, result);

        Map<String, Set<String>> reordered = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(input.subscriptions.keySet());
        java.util.Collections.reverse(ids);
        ids.forEach(id -> reordered.put(id, input.subscriptions.get(id)));
        assertThat(assignor.assign(reordered, new HashMap<>(input.partitionCounts), new HashMap<>(input.currentTarget)))
                .as("same inputs in another order").isEqualTo(result);

        assertThat(assignor.assign(input.subscriptions, input.partitionCounts, result))
                .as("a balanced assignment is a fixed point").isEqualTo(result);
    }

    @Property(tries = 300)
    void addingAMemberToAHomogeneousGroupMovesOnlyWhatItGets(
            @ForAll @IntRange(min = 1, max = 8) int members, @ForAll @IntRange(min = 0, max = 40) int partitions,
            @ForAll @IntRange(min = 1, max = 3) int topics) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int t = 0; t < topics; t++) {
            counts.put("t" + t, partitions / topics + (t < partitions % topics ? 1 : 0));
        }
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        for (int m = 0; m < members; m++) {
            subscriptions.put("m" + m, counts.keySet());
        }
        Map<String, Assignment> before = assignor.assign(subscriptions, counts, Map.of());

        subscriptions.put("new", counts.keySet());
        Map<String, Assignment> after = assignor.assign(subscriptions, counts, before);
        int moved = 0;
        for (int m = 0; m < members; m++) {
            Assignment old = before.get("m" + m);
            Assignment now = after.get("m" + m);
            assertThat(old.containsAll(now)).as("existing members only give up partitions").isTrue();
            moved += old.size() - now.size();
        }
        assertThat(moved).isEqualTo(after.get("new").size());
        assertThat(after.get("new").size()).isEqualTo(partitions / (members + 1));

        subscriptions.remove("m0");
        Map<String, Assignment> shrunk = assignor.assign(subscriptions, counts, after);
        for (String id : subscriptions.keySet()) {
            assertThat(shrunk.get(id).containsAll(after.get(id))).as("survivors keep all they had").isTrue();
        }
    }

    private static void assertValid(Input input, Map<String, Assignment> result) {
        assertThat(result.keySet()).isEqualTo(input.subscriptions.keySet());
        Map<String, String> owner = new HashMap<>();
        result.forEach((member, assignment) -> assignment.forEach((topic, partition) -> {
            assertThat(input.subscriptions.get(member)).as("%s subscribes to %s", member, topic).contains(topic);
            assertThat(partition).isLessThan(input.partitionCounts.get(topic));
            String previous = owner.put(topic + "-" + partition, member);
            assertThat(previous).as("%s-%d given twice", topic, partition).isNull();
        }));
        // Complete: every partition of a subscribed, existing topic is assigned.
        Set<String> subscribed = new TreeSet<>();
        input.subscriptions.values().forEach(subscribed::addAll);
        for (String topic : subscribed) {
            Integer count = input.partitionCounts.get(topic);
            for (int p = 0; count != null && p < count; p++) {
                assertThat(owner).containsKey(topic + "-" + p);
            }
        }
        // Uniform: nobody holds two more than a member that could take one of its partitions.
        result.forEach((a, aAssignment) -> result.forEach((b, bAssignment) -> {
            boolean bCouldTakeOne = aAssignment.topics().stream().anyMatch(input.subscriptions.get(b)::contains);
            if (bCouldTakeOne) {
                assertThat(aAssignment.size()).as("%s=%s vs %s=%s", a, aAssignment, b, bAssignment)
                        .isLessThanOrEqualTo(bAssignment.size() + 1);
            }
            if (input.subscriptions.get(a).equals(input.subscriptions.get(b))) {
                assertThat(Math.abs(aAssignment.size() - bAssignment.size())).isLessThanOrEqualTo(1);
            }
        }));
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Map<String, Integer>> topics = Arbitraries.maps(
                Arbitraries.of("a", "b", "c", "d"), Arbitraries.integers().between(0, 12)).ofMinSize(1).ofMaxSize(4);
        return topics.flatMap(counts -> {
            List<String> names = new ArrayList<>(counts.keySet());
            names.add("ghost");
            Arbitrary<Set<String>> subscription = Arbitraries.of(names).set().ofMinSize(1).ofMaxSize(names.size());
            Arbitrary<Map<String, Set<String>>> subscriptions = Arbitraries.maps(
                    Arbitraries.strings().withCharRange('a', 'f').ofLength(2), subscription).ofMinSize(1).ofMaxSize(8);
            Arbitrary<Assignment> previous = Arbitraries.maps(Arbitraries.of(names),
                    Arbitraries.integers().between(0, 14).list().ofMaxSize(6)).ofMaxSize(3).map(Assignment::of);
            return subscriptions.flatMap(subs -> Arbitraries.maps(Arbitraries.of(new ArrayList<>(subs.keySet())), previous)
                    .ofMaxSize(subs.size())
                    .map(target -> new Input(subs, counts, target)));
        });
    }
}
