package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.MemberState;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.wire.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupCoordinatorShardTest {

    private final ShardHarness h = new ShardHarness();

    @AfterEach
    void replayRebuildsTheSameState() {
        h.assertReplayMatches();
    }

    /** Heartbeats every consumer (revoking at once) until the group is stable and all agree. */
    private void settle(String groupId, List<SimulatedConsumer> consumers) {
        for (int round = 0; round < 20; round++) {
            for (SimulatedConsumer c : consumers) {
                c.onResult(h.heartbeat(c.heartbeatRequest(true)), true);
            }
            ConsumerGroup group = h.group(groupId);
            boolean agreed = consumers.stream().allMatch(c -> c.owned.equals(group.member(c.memberId).assigned()));
            if (group.state() == GroupState.STABLE && agreed) {
                return;
            }
        }
        throw new AssertionError("group " + groupId + " did not settle: " + h.shard.describeGroup(groupId));
    }

    private SimulatedConsumer joinConsumer(String groupId, String... topics) {
        SimulatedConsumer c = SimulatedConsumer.dynamic(groupId, topics);
        HeartbeatResult result = h.heartbeat(c.joinRequest());
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        c.onResult(result, true);
        return c;
    }

    private static void assertDisjointAndComplete(List<SimulatedConsumer> consumers, String topic, int partitions) {
        List<TopicPartition> all = new ArrayList<>();
        consumers.forEach(c -> all.addAll(c.owned.toTopicPartitions()));
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all).hasSize(partitions);
        for (int p = 0; p < partitions; p++) {
            assertThat(all).contains(new TopicPartition(topic, p));
        }
    }

    @Test
    void firstJoinGetsAMemberIdEpochOneAndEveryPartition() {
        h.topics(Map.of("orders", 6));
        HeartbeatResult result = h.join("g", "orders");

        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        assertThat(result.memberId()).isEqualTo("m1");
        assertThat(result.memberEpoch()).isEqualTo(1);
        assertThat(result.heartbeatIntervalMs()).isEqualTo(GroupCoordinatorConfig.DEFAULT_HEARTBEAT_INTERVAL_MS);
        assertThat(result.assignment()).isEqualTo(Assignment.ofTopic("orders", 0, 1, 2, 3, 4, 5));
        assertThat(h.group("g").state()).isEqualTo(GroupState.STABLE);

        HeartbeatResult again = h.heartbeat("g", "m1", 1, null);
        assertThat(again.assignment()).as("unchanged assignment is not resent").isNull();
        assertThat(again.memberEpoch()).isEqualTo(1);
    }

    @Test
    void threeMembersOnSixPartitionsGetDisjointSetsCoveringAll() {
        h.topics(Map.of("orders", 6));
        List<SimulatedConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(joinConsumer("g", "orders"));
            settle("g", consumers);
        }
        assertDisjointAndComplete(consumers, "orders", 6);
        assertThat(consumers).allSatisfy(c -> assertThat(c.owned.size()).isEqualTo(2));
        assertThat(h.group("g").groupEpoch()).isEqualTo(3);
        assertThat(consumers).allSatisfy(c -> assertThat(c.epoch).isEqualTo(3));
    }

    @Test
    void aNewMemberWaitsForPartitionsUntilTheirOwnerRevokes() {
        h.topics(Map.of("orders", 4));
        SimulatedConsumer first = joinConsumer("g", "orders");
        SimulatedConsumer second = joinConsumer("g", "orders");

        assertThat(second.epoch).isEqualTo(2);
        assertThat(second.owned).as("everything is still held by the first member").isEqualTo(Assignment.EMPTY);
        assertThat(h.member("g", second.memberId).state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(h.group("g").state()).isEqualTo(GroupState.RECONCILING);

        // The first member is asked to revoke two partitions; its epoch stays until it does.
        HeartbeatResult revoke = h.heartbeat(first.heartbeatRequest(true));
        assertThat(revoke.memberEpoch()).isEqualTo(1);
        assertThat(revoke.assignment()).isEqualTo(Assignment.ofTopic("orders", 0, 1));
        assertThat(h.member("g", first.memberId).state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(h.member("g", first.memberId).pendingRevocation()).isEqualTo(Assignment.ofTopic("orders", 2, 3));
        first.onResult(revoke, false);

        // Not revoked yet: the second member still gets nothing.
        assertThat(h.heartbeat(second.heartbeatRequest(true)).assignment()).isNull();
        assertThat(h.heartbeat(first.heartbeatRequest(true)).memberEpoch()).as("still owns 2 and 3").isEqualTo(1);

        first.completeRevocation();
        HeartbeatResult acked = h.heartbeat(first.heartbeatRequest(true));
        assertThat(acked.memberEpoch()).isEqualTo(2);
        assertThat(h.member("g", first.memberId).state()).isEqualTo(MemberState.STABLE);

        HeartbeatResult released = h.heartbeat(second.heartbeatRequest(true));
        assertThat(released.assignment()).isEqualTo(Assignment.ofTopic("orders", 2, 3));
        assertThat(h.group("g").state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void addingAMemberMovesOnlyWhatTheNewMemberGets() {
        h.topics(Map.of("orders", 12));
        List<SimulatedConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(joinConsumer("g", "orders"));
        }
        settle("g", consumers);
        Map<String, Assignment> before = new java.util.HashMap<>();
        consumers.forEach(c -> before.put(c.memberId, c.owned));

        SimulatedConsumer fourth = joinConsumer("g", "orders");
        consumers.add(fourth);
        settle("g", consumers);

        assertThat(fourth.owned.size()).isEqualTo(3);
        for (SimulatedConsumer c : consumers.subList(0, 3)) {
            assertThat(before.get(c.memberId).containsAll(c.owned)).as("old members only lose partitions").isTrue();
            assertThat(c.owned.size()).isEqualTo(3);
        }
        assertDisjointAndComplete(consumers, "orders", 12);
    }

    @Test
    void leavingMemberPartitionsGoToTheOthers() {
        h.topics(Map.of("orders", 6));
        List<SimulatedConsumer> consumers = new ArrayList<>(List.of(joinConsumer("g", "orders"),
                joinConsumer("g", "orders"), joinConsumer("g", "orders")));
        settle("g", consumers);
        SimulatedConsumer leaver = consumers.remove(1);

        HeartbeatResult left = h.heartbeat(HeartbeatRequest.builder("g").memberId(leaver.memberId)
                .memberEpoch(HeartbeatRequest.LEAVE_EPOCH).build());
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(h.member("g", leaver.memberId)).isNull();
        settle("g", consumers);
        assertDisjointAndComplete(consumers, "orders", 6);
        assertThat(consumers).allSatisfy(c -> assertThat(c.owned.size()).isEqualTo(3));

        HeartbeatResult zombie = h.heartbeat(leaver.heartbeatRequest(true));
        assertThat(zombie.error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    @Test
    void sessionTimeoutRemovesASilentMemberAndReassignsItsPartitions() {
        h.topics(Map.of("orders", 4));
        SimulatedConsumer alive = joinConsumer("g", "orders");
        SimulatedConsumer silent = joinConsumer("g", "orders");
        settle("g", List.of(alive, silent));

        for (int t = 0; t < 9; t++) {
            h.advance(5_000);
            alive.onResult(h.heartbeat(alive.heartbeatRequest(true)), true);
        }
        assertThat(h.member("g", silent.memberId)).as("45 s have passed").isNull();
        alive.onResult(h.heartbeat(alive.heartbeatRequest(true)), true);
        assertThat(alive.owned).isEqualTo(Assignment.ofTopic("orders", 0, 1, 2, 3));
        assertThat(h.heartbeat(silent.heartbeatRequest(true)).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        h.topics(Map.of("orders", 4));
        SimulatedConsumer slow = SimulatedConsumer.dynamic("g", "orders");
        slow.rebalanceTimeoutMs = 20_000;
        slow.onResult(h.heartbeat(slow.joinRequest()), true);
        SimulatedConsumer other = joinConsumer("g", "orders");

        HeartbeatResult revoke = h.heartbeat(slow.heartbeatRequest(true));
        slow.onResult(revoke, false);
        assertThat(h.member("g", slow.memberId).state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);

        for (int t = 0; t < 4; t++) {
            h.advance(5_000);
            slow.onResult(h.heartbeat(slow.heartbeatRequest(true)), false);
            other.onResult(h.heartbeat(other.heartbeatRequest(true)), true);
        }
        assertThat(h.member("g", slow.memberId)).as("fenced after 20 s without revoking").isNull();
        other.onResult(h.heartbeat(other.heartbeatRequest(true)), true);
        assertThat(other.owned).isEqualTo(Assignment.ofTopic("orders", 0, 1, 2, 3));

        // The fenced member learns it on its next heartbeat and rejoins with epoch 0 and its old id.
        assertThat(h.heartbeat(slow.heartbeatRequest(true)).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        slow.reset(true);
        HeartbeatResult rejoined = h.heartbeat(slow.joinRequest());
        assertThat(rejoined.error()).isEqualTo(ErrorCode.NONE);
        assertThat(rejoined.memberId()).isEqualTo(slow.memberId);
    }

    @Test
    void staleOrFutureEpochsAreFencedButTheVeryPreviousEpochIsAcceptedWithOwnedSubset() {
        h.topics(Map.of("orders", 4));
        SimulatedConsumer a = joinConsumer("g", "orders");
        SimulatedConsumer b = joinConsumer("g", "orders");
        settle("g", List.of(a, b));
        assertThat(a.epoch).isEqualTo(2);

        assertThat(h.heartbeat("g", a.memberId, 3, null).error()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        assertThat(h.heartbeat("g", a.memberId, 1, null).error())
                .as("previous epoch without owned partitions").isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        assertThat(h.heartbeat("g", a.memberId, 1, Assignment.ofTopic("orders", 0, 1, 2, 3)).error())
                .as("previous epoch claiming more than assigned").isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);

        HeartbeatResult recovered = h.heartbeat("g", a.memberId, 1, a.owned);
        assertThat(recovered.error()).isEqualTo(ErrorCode.NONE);
        assertThat(recovered.memberEpoch()).isEqualTo(2);
        assertThat(recovered.assignment()).as("resent: the member missed the answer moving its epoch")
                .isEqualTo(a.owned);

        SimulatedConsumer c = joinConsumer("g", "orders");
        settle("g", List.of(a, b, c));
        assertThat(h.heartbeat("g", a.memberId, 1, a.owned).error())
                .as("two epochs behind").isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
    }

    @Test
    void staticMemberRejoiningAfterTemporaryLeaveGetsItsAssignmentBackWithoutReshuffle() {
        h.topics(Map.of("orders", 6));
        SimulatedConsumer s1 = new SimulatedConsumer("g", "instance-1", List.of("orders"), null);
        SimulatedConsumer s2 = new SimulatedConsumer("g", "instance-2", List.of("orders"), null);
        s1.onResult(h.heartbeat(s1.joinRequest()), true);
        s2.onResult(h.heartbeat(s2.joinRequest()), true);
        settle("g", List.of(s1, s2));
        Assignment s1Partitions = s1.owned;
        int epoch = h.group("g").groupEpoch();

        HeartbeatResult away = h.heartbeat(HeartbeatRequest.builder("g").memberId(s1.memberId)
                .instanceId("instance-1").memberEpoch(HeartbeatRequest.STATIC_LEAVE_EPOCH).build());
        assertThat(away.memberEpoch()).isEqualTo(-2);
        assertThat(h.group("g").groupEpoch()).as("a temporary leave is no membership change").isEqualTo(epoch);
        assertThat(h.member("g", s1.memberId).assigned()).isEqualTo(s1Partitions);
        s2.onResult(h.heartbeat(s2.heartbeatRequest(true)), true);
        assertThat(s2.owned.intersects(s1Partitions)).as("the away member's partitions stay reserved").isFalse();

        h.advance(30_000);
        String oldMemberId = s1.memberId;
        SimulatedConsumer restarted = new SimulatedConsumer("g", "instance-1", List.of("orders"), null);
        HeartbeatResult back = h.heartbeat(restarted.joinRequest());
        restarted.onResult(back, true);
        assertThat(back.error()).isEqualTo(ErrorCode.NONE);
        assertThat(back.memberId()).isNotEqualTo(oldMemberId);
        assertThat(back.assignment()).isEqualTo(s1Partitions);
        assertThat(back.memberEpoch()).isEqualTo(epoch);
        assertThat(h.group("g").groupEpoch()).isEqualTo(epoch);
        assertThat(h.member("g", oldMemberId)).isNull();
        assertThat(h.group("g").state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aSecondLiveMemberWithTheSameInstanceIdIsRefused() {
        h.topics(Map.of("orders", 2));
        SimulatedConsumer s1 = new SimulatedConsumer("g", "instance-1", List.of("orders"), null);
        s1.onResult(h.heartbeat(s1.joinRequest()), true);

        SimulatedConsumer impostor = new SimulatedConsumer("g", "instance-1", List.of("orders"), null);
        assertThat(h.heartbeat(impostor.joinRequest()).error()).isEqualTo(ErrorCode.UNRELEASED_INSTANCE_ID);
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberId("someone-else").instanceId("instance-1")
                .memberEpoch(1).build()).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(h.group("g").members()).hasSize(1);
    }

    @Test
    void aStaticMemberThatDoesNotComeBackWithinTheSessionTimeoutIsRemoved() {
        h.topics(Map.of("orders", 2));
        SimulatedConsumer s1 = new SimulatedConsumer("g", "instance-1", List.of("orders"), null);
        s1.onResult(h.heartbeat(s1.joinRequest()), true);
        SimulatedConsumer other = joinConsumer("g", "orders");
        settle("g", List.of(s1, other));
        h.heartbeat(HeartbeatRequest.builder("g").memberId(s1.memberId).instanceId("instance-1")
                .memberEpoch(HeartbeatRequest.STATIC_LEAVE_EPOCH).build());
        for (int t = 0; t < 10; t++) {
            h.advance(5_000);
            other.onResult(h.heartbeat(other.heartbeatRequest(true)), true);
        }
        assertThat(h.group("g").staticMember("instance-1")).isNull();
        assertThat(other.owned).isEqualTo(Assignment.ofTopic("orders", 0, 1));
    }

    @Test
    void invalidRequestsAreRefusedWithoutChangingAnything() {
        h.topics(Map.of("orders", 2));
        assertThat(h.heartbeat(HeartbeatRequest.join("", "orders")).error()).isEqualTo(ErrorCode.INVALID_GROUP_ID);
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberEpoch(0).subscribedTopicNames(List.of("orders"))
                .build()).error()).as("no rebalance timeout").isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberEpoch(0).rebalanceTimeoutMs(1000)
                .subscribedTopicRegex("orders[").build()).error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberEpoch(0).rebalanceTimeoutMs(1000)
                .subscribedTopicNames(List.of("orders")).serverAssignor("range").build()).error())
                .isEqualTo(ErrorCode.UNSUPPORTED_ASSIGNOR);
        assertThat(h.heartbeat("g", "m9", 3, null).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberId("x").memberEpoch(-2).build()).error())
                .as("temporary leave without instance id").isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(h.shard.groups()).isEmpty();
        assertThat(h.log).isEmpty();
    }

    @Test
    void groupSizeIsCapped() {
        ShardHarness small = new ShardHarness(GroupCoordinatorConfig.defaults().withMaxGroupSize(2));
        small.topics(Map.of("orders", 2));
        assertThat(small.join("g", "orders").error()).isEqualTo(ErrorCode.NONE);
        assertThat(small.join("g", "orders").error()).isEqualTo(ErrorCode.NONE);
        assertThat(small.join("g", "orders").error()).isEqualTo(ErrorCode.POLICY_VIOLATION);
    }

    @Test
    void regexSubscriptionFollowsTopicCreationAndDeletion() {
        h.topics(Map.of("orders-eu", 2, "payments", 2));
        SimulatedConsumer c = new SimulatedConsumer("g", null, List.of(), "orders-.*");
        c.onResult(h.heartbeat(c.joinRequest()), true);
        assertThat(c.owned).isEqualTo(Assignment.ofTopic("orders-eu", 0, 1));
        int epoch = h.group("g").groupEpoch();

        h.topics(Map.of("orders-eu", 2, "orders-us", 1, "payments", 2, "xorders-eu", 1, "__orders-internal", 1));
        assertThat(h.group("g").groupEpoch()).isEqualTo(epoch + 1);
        c.onResult(h.heartbeat(c.heartbeatRequest(true)), true);
        assertThat(c.owned).isEqualTo(Assignment.of(Map.of("orders-eu", List.of(0, 1), "orders-us", List.of(0))));

        h.topics(Map.of("orders-us", 1, "payments", 2, "xorders-eu", 1));
        c.onResult(h.heartbeat(c.heartbeatRequest(true)), true);
        assertThat(c.owned).isEqualTo(Assignment.ofTopic("orders-us", 0));

        SimulatedConsumer everything = new SimulatedConsumer("g2", null, List.of("__consumer_offsets"), ".*");
        h.topics(Map.of("a", 1, "__consumer_offsets", 2));
        everything.onResult(h.heartbeat(everything.joinRequest()), true);
        assertThat(everything.owned).as("internal topics only by name").isEqualTo(
                Assignment.of(Map.of("a", List.of(0), "__consumer_offsets", List.of(0, 1))));
        SimulatedConsumer regexOnly = new SimulatedConsumer("g3", null, List.of(), ".*");
        regexOnly.onResult(h.heartbeat(regexOnly.joinRequest()), true);
        assertThat(regexOnly.owned).isEqualTo(Assignment.ofTopic("a", 0));
    }

    @Test
    void morePartitionsAreSpreadOverTheGroup() {
        h.topics(Map.of("orders", 2));
        SimulatedConsumer a = joinConsumer("g", "orders");
        SimulatedConsumer b = joinConsumer("g", "orders");
        settle("g", List.of(a, b));
        Assignment aBefore = a.owned;
        Assignment bBefore = b.owned;

        h.topics(Map.of("orders", 6));
        settle("g", List.of(a, b));
        assertDisjointAndComplete(List.of(a, b), "orders", 6);
        assertThat(a.owned.containsAll(aBefore) && b.owned.containsAll(bBefore)).as("sticky").isTrue();
        assertThat(a.owned.size()).isEqualTo(3);
    }

    @Test
    void unchangedTopicsDoNotBumpTheEpoch() {
        h.topics(Map.of("orders", 2, "other", 3));
        h.join("g", "orders");
        int epoch = h.group("g").groupEpoch();
        h.topics(Map.of("orders", 2, "other", 5, "new", 1));
        assertThat(h.group("g").groupEpoch()).isEqualTo(epoch);
    }

    @Test
    void subscriptionChangeBumpsTheEpochAndMovesPartitions() {
        h.topics(Map.of("orders", 2, "payments", 2));
        SimulatedConsumer c = joinConsumer("g", "orders");
        HeartbeatResult changed = h.heartbeat(c.subscriptionChange(List.of("payments"), null));
        assertThat(h.group("g").groupEpoch()).isEqualTo(2);
        assertThat(changed.assignment()).as("revoke first").isEqualTo(Assignment.EMPTY);
        c.onResult(changed, true);
        c.onResult(h.heartbeat(c.heartbeatRequest(true)), true);
        assertThat(c.owned).isEqualTo(Assignment.ofTopic("payments", 0, 1));
        assertThat(c.epoch).isEqualTo(2);
    }

    @Test
    void lastMemberLeavingDeletesAGroupWithoutOffsets() {
        h.topics(Map.of("orders", 2));
        HeartbeatResult joined = h.join("g", "orders");
        h.heartbeat(HeartbeatRequest.builder("g").memberId(joined.memberId()).memberEpoch(-1).build());
        assertThat(h.group("g")).isNull();
    }
}
