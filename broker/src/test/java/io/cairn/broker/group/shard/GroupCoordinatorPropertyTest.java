package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.protocol.wire.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a group with random joins, heartbeats (owned partitions reported or not), slow
 * revocations, leaves (also static temporary leaves), crashes, subscription changes, topic changes
 * and time passing, and checks after every step that no partition is held by two consumers, then
 * that the group converges to a complete, uniform assignment once left alone.
 */
class GroupCoordinatorPropertyTest {

    private static final String GROUP = "g";
    private static final int SESSION_TIMEOUT_MS = 45_000;
    private static final int REBALANCE_TIMEOUT_MS = 20_000;
    private static final List<List<String>> SUBSCRIPTIONS = List.of(
            List.of("a"), List.of("a", "b"), List.of("b", "c"), List.of("a", "b", "c"), List.of("c", "d"));
    private static final List<String> REGEXES = List.of("[ab]", "[a-d]");

    /** One scripted step: what happens, to which consumer, with which parameter. */
    record Step(int action, int who, int arg) {
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 15),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 99)).as(Step::new);
        return step.list().ofMinSize(30).ofMaxSize(150);
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void noPartitionIsEverHeldTwiceAndTheGroupConverges(@ForAll("scripts") List<Step> script) {
        Simulation sim = new Simulation();
        for (Step step : script) {
            sim.run(step);
            sim.assertNoPartitionHeldTwice();
        }
        sim.leaveAlone();
        Statistics.label("consumers at the end").collect(sim.consumers.size());
        Statistics.label("most consumers at once").collect(sim.maxConsumers);
        sim.assertConverged();
        sim.h.assertReplayMatches();
    }

    private static final class Simulation {
        final ShardHarness h = new ShardHarness(GroupCoordinatorConfig.defaults().withSessionTimeoutMs(SESSION_TIMEOUT_MS));
        final Map<String, Integer> topics = new TreeMap<>(Map.of("a", 3, "b", 2, "c", 4));
        /** Running consumer processes. */
        final List<SimulatedConsumer> consumers = new ArrayList<>();
        /** Crashed processes: what they held counts until the coordinator has removed them. */
        final List<SimulatedConsumer> crashed = new ArrayList<>();

        int maxConsumers;

        Simulation() {
            h.topics(topics);
        }

        void run(Step step) {
            h.advance(200);
            SimulatedConsumer c = consumers.isEmpty() ? null : consumers.get(step.who % consumers.size());
            switch (step.action) {
                case 0, 1, 2 -> startConsumer(step);
                case 3, 4, 5, 6 -> {
                    if (c != null && c.joined) {
                        heartbeat(c, step.arg % 4 != 0, step.arg % 3 == 0);
                    }
                }
                case 7 -> {
                    if (c != null) {
                        c.completeRevocation();
                    }
                }
                case 8 -> {
                    if (c != null && !c.joined) {
                        c.onResult(h.heartbeat(c.joinRequest()), true);
                    }
                }
                case 9 -> {
                    if (c != null && c.joined) {
                        leave(c, step.arg % 2 == 0);
                    }
                }
                case 10 -> {
                    if (c != null) {
                        consumers.remove(c);
                        crashed.add(c);
                    }
                }
                case 11 -> {
                    if (c != null && c.joined) {
                        List<String> topicsOf = SUBSCRIPTIONS.get(step.arg % SUBSCRIPTIONS.size());
                        String regex = step.arg % 5 == 0 ? REGEXES.get(step.arg % 2) : null;
                        handle(c, h.heartbeat(c.subscriptionChange(topicsOf, regex)), true);
                    }
                }
                case 12 -> changeTopics(step.arg);
                default -> h.advance(step.arg * 100L);
            }
            maxConsumers = Math.max(maxConsumers, consumers.size());
        }

        void startConsumer(Step step) {
            if (consumers.size() >= 6) {
                return;
            }
            String instanceId = null;
            if (step.who % 3 == 0) {
                String candidate = "i" + (step.arg % 2);
                if (consumers.stream().noneMatch(x -> candidate.equals(x.instanceId))) {
                    instanceId = candidate;
                }
            }
            String regex = step.arg % 7 == 0 ? REGEXES.get(step.arg % 2) : null;
            SimulatedConsumer c = new SimulatedConsumer(GROUP, instanceId,
                    SUBSCRIPTIONS.get(step.arg % SUBSCRIPTIONS.size()), regex);
            c.rebalanceTimeoutMs = REBALANCE_TIMEOUT_MS;
            consumers.add(c);
            HeartbeatResult result = h.heartbeat(c.joinRequest());
            if (result.error() != ErrorCode.NONE) {
                assertThat(result.error()).as("only a held instance id can refuse a join")
                        .isEqualTo(ErrorCode.UNRELEASED_INSTANCE_ID);
            }
            c.onResult(result, true);
        }

        void heartbeat(SimulatedConsumer c, boolean reportOwned, boolean revokeNow) {
            handle(c, h.heartbeat(c.heartbeatRequest(reportOwned)), revokeNow);
        }

        void handle(SimulatedConsumer c, HeartbeatResult result, boolean revokeNow) {
            if (result.error() == ErrorCode.NONE) {
                c.onResult(result, revokeNow);
                return;
            }
            assertThat(result.error()).as("a live consumer is refused only once the coordinator dropped it")
                    .isIn(ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_MEMBER_EPOCH);
            assertThat(h.member(GROUP, c.memberId) == null || h.member(GROUP, c.memberId).memberEpoch() != c.epoch)
                    .isTrue();
            c.reset(c.epoch % 2 == 0);
        }

        void leave(SimulatedConsumer c, boolean temporary) {
            boolean staticLeave = temporary && c.instanceId != null;
            HeartbeatResult result = h.heartbeat(HeartbeatRequest.builder(GROUP).memberId(c.memberId)
                    .instanceId(c.instanceId)
                    .memberEpoch(staticLeave ? HeartbeatRequest.STATIC_LEAVE_EPOCH : HeartbeatRequest.LEAVE_EPOCH)
                    .build());
            consumers.remove(c);
            if (result.error() != ErrorCode.NONE) {
                crashed.add(c);
            } else if (staticLeave) {
                // The process is gone; the coordinator keeps its partitions reserved for a restart.
                crashed.add(c);
            }
        }

        void changeTopics(int arg) {
            switch (arg % 4) {
                case 0 -> topics.merge("a", 1, Integer::sum);
                case 1 -> topics.merge("c", 2, Integer::sum);
                case 2 -> topics.putIfAbsent("d", 3);
                default -> {
                    if (topics.remove("d") == null) {
                        topics.merge("b", 1, Integer::sum);
                    }
                }
            }
            h.topics(topics);
        }

        /** Consumers the coordinator still counts as members, with what each might be processing. */
        Map<String, Assignment> holdings() {
            Map<String, Assignment> out = new HashMap<>();
            ConsumerGroup group = h.group(GROUP);
            for (SimulatedConsumer c : allProcesses()) {
                if (!c.joined || group == null) {
                    continue;
                }
                ConsumerGroupMember member = group.member(c.memberId);
                if (member == null) {
                    continue;
                }
                out.merge(c.memberId, c.holding(), Assignment::union);
            }
            return out;
        }

        List<SimulatedConsumer> allProcesses() {
            List<SimulatedConsumer> all = new ArrayList<>(consumers);
            all.addAll(crashed);
            return all;
        }

        void assertNoPartitionHeldTwice() {
            Map<String, String> holder = new HashMap<>();
            holdings().forEach((memberId, held) -> held.forEach((topic, partition) -> {
                String other = holder.put(topic + "-" + partition, memberId);
                assertThat(other).as("%s-%d held by %s and %s", topic, partition, other, memberId).isNull();
            }));
            ConsumerGroup group = h.group(GROUP);
            if (group != null) {
                for (SimulatedConsumer c : consumers) {
                    ConsumerGroupMember member = c.joined ? group.member(c.memberId) : null;
                    if (member != null) {
                        assertThat(member.owned().containsAll(c.holding()))
                                .as("consumer %s holds %s, coordinator says %s", c.memberId, c.holding(), member.owned())
                                .isTrue();
                    }
                }
            }
            crashed.removeIf(c -> group == null || group.member(c.memberId) == null);
        }

        /** Everyone alive heartbeats promptly and revokes at once; crashed members time out. */
        void leaveAlone() {
            for (int round = 0; round < 40; round++) {
                h.advance(round < 12 ? 5_000 : 0);
                for (SimulatedConsumer c : consumers) {
                    if (!c.joined) {
                        HeartbeatResult result = h.heartbeat(c.joinRequest());
                        c.onResult(result, true);
                    } else {
                        heartbeat(c, true, true);
                    }
                }
                assertNoPartitionHeldTwice();
            }
        }

        void assertConverged() {
            assertThat(crashed).as("crashed members are gone after their session timeout").isEmpty();
            ConsumerGroup group = h.group(GROUP);
            if (consumers.isEmpty()) {
                assertThat(group == null || group.isEmpty()).isTrue();
                return;
            }
            assertThat(consumers).allSatisfy(c -> assertThat(c.joined).isTrue());
            assertThat(group.members().keySet()).containsExactlyInAnyOrderElementsOf(
                    consumers.stream().map(c -> c.memberId).toList());
            assertThat(group.state()).as(h.shard.describeGroup(GROUP).toString()).isEqualTo(GroupState.STABLE);

            TopicsImage image = TopicsImage.of(topics);
            SubscriptionResolver resolver = new SubscriptionResolver();
            Map<String, Set<String>> resolved = new HashMap<>();
            Set<String> subscribed = new TreeSet<>();
            Map<String, String> holder = new HashMap<>();
            for (SimulatedConsumer c : consumers) {
                ConsumerGroupMember member = group.member(c.memberId);
                assertThat(c.owned).isEqualTo(member.assigned()).isEqualTo(group.targetAssignment(c.memberId));
                resolved.put(c.memberId, resolver.resolve(member.subscription(), image));
                subscribed.addAll(resolved.get(c.memberId));
                c.owned.forEach((topic, partition) -> holder.put(topic + "-" + partition, c.memberId));
            }
            for (String topic : subscribed) {
                for (int p = 0; p < topics.get(topic); p++) {
                    assertThat(holder).as("complete").containsKey(topic + "-" + p);
                }
            }
            for (SimulatedConsumer x : consumers) {
                for (SimulatedConsumer y : consumers) {
                    if (resolved.get(x.memberId).equals(resolved.get(y.memberId))) {
                        assertThat(Math.abs(x.owned.size() - y.owned.size())).as("uniform").isLessThanOrEqualTo(1);
                    }
                }
            }
        }
    }
}
