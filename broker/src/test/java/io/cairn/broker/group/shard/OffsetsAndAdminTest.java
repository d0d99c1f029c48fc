package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.CommittedOffset;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.GroupListing;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.MemberDescription;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetCommitResult;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.OffsetFetchResult;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.wire.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetsAndAdminTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    private final ShardHarness h = new ShardHarness();
    private SimulatedConsumer a;
    private SimulatedConsumer b;

    @BeforeEach
    void twoStableMembers() {
        h.topics(Map.of("orders", 2));
        a = SimulatedConsumer.dynamic("g", "orders");
        a.onResult(h.heartbeat(a.joinRequest()), true);
        b = SimulatedConsumer.dynamic("g", "orders");
        b.onResult(h.heartbeat(b.joinRequest()), true);
        for (int i = 0; i < 3; i++) {
            a.onResult(h.heartbeat(a.heartbeatRequest(true)), true);
            b.onResult(h.heartbeat(b.heartbeatRequest(true)), true);
        }
        assertThat(h.group("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(a.owned).isEqualTo(Assignment.ofTopic("orders", 0));
    }

    @AfterEach
    void replayRebuildsTheSameState() {
        h.assertReplayMatches();
    }

    private OffsetCommitResult commit(SimulatedConsumer c, int epoch, PartitionOffset... offsets) {
        return h.commit(OffsetCommitRequest.member("g", c.memberId, epoch, List.of(offsets)));
    }

    @Test
    void aMemberCommitsWithItsCurrentEpochAndReadsItBack() {
        h.nowMs = 5_000;
        OffsetCommitResult result = h.commit(new OffsetCommitRequest("g", a.memberId, a.epoch, null,
                List.of(new PartitionOffset(ORDERS_0, 42, 7, "checkpoint"))));
        assertThat(result.errors()).containsExactly(Map.entry(ORDERS_0, ErrorCode.NONE));

        OffsetFetchResult fetched = h.shard.fetchOffsets(OffsetFetchRequest.of("g", List.of(ORDERS_0, ORDERS_1)));
        assertThat(fetched.error()).isEqualTo(ErrorCode.NONE);
        assertThat(fetched.offset(ORDERS_0)).isEqualTo(new CommittedOffset(42, 7, "checkpoint", 5_000));
        assertThat(fetched.offset(ORDERS_1)).isEqualTo(CommittedOffset.NONE);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offsets()).containsOnlyKeys(ORDERS_0);
    }

    @Test
    void staleAndFutureEpochsAndUnknownMembersCannotCommit() {
        assertThat(commit(a, a.epoch + 1, PartitionOffset.of("orders", 0, 1)).errorFor(ORDERS_0))
                .isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH);
        assertThat(commit(a, a.epoch - 2, PartitionOffset.of("orders", 0, 1)).errorFor(ORDERS_0))
                .isEqualTo(ErrorCode.STALE_MEMBER_EPOCH);
        assertThat(h.commit(OffsetCommitRequest.member("g", "nobody", a.epoch, List.of(PartitionOffset.of("orders", 0, 1))))
                .errorFor(ORDERS_0)).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(h.commit(OffsetCommitRequest.member("other", a.memberId, 1, List.of(PartitionOffset.of("orders", 0, 1))))
                .errorFor(ORDERS_0)).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offsets()).isEmpty();
    }

    @Test
    void thePreviousEpochMayCommitOnlyPartitionsTheMemberStillHolds() {
        SimulatedConsumer c = SimulatedConsumer.dynamic("g", "orders");
        c.onResult(h.heartbeat(c.joinRequest()), true);
        // a moves to the new epoch (or is asked to revoke); either way epoch-1 is its previous epoch.
        a.onResult(h.heartbeat(a.heartbeatRequest(true)), true);
        a.onResult(h.heartbeat(a.heartbeatRequest(true)), true);
        ConsumerGroupMember member = h.member("g", a.memberId);
        int previous = member.previousMemberEpoch();
        assertThat(previous).isLessThan(member.memberEpoch());

        OffsetCommitResult result = commit(a, previous, PartitionOffset.of("orders", 0, 10), PartitionOffset.of("orders", 1, 10));
        ErrorCode expected0 = member.owned().contains(ORDERS_0) ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
        assertThat(result.errorFor(ORDERS_0)).isEqualTo(expected0);
        assertThat(result.errorFor(ORDERS_1)).as("held by b").isEqualTo(ErrorCode.STALE_MEMBER_EPOCH);
    }

    @Test
    void partitionLevelChecks() {
        OffsetCommitResult result = commit(a, a.epoch, PartitionOffset.of("orders", 0, 5),
                PartitionOffset.of("orders", 9, 5), PartitionOffset.of("nope", 0, 5),
                new PartitionOffset(ORDERS_1, -3, -1, ""),
                new PartitionOffset(new TopicPartition("orders", 0), 6, -1, "x".repeat(4097)));
        assertThat(result.errors()).containsEntry(new TopicPartition("orders", 9), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry(new TopicPartition("nope", 0), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry(ORDERS_1, ErrorCode.INVALID_REQUEST);
        // The same partition twice: the later entry's outcome is reported.
        assertThat(result.errorFor(ORDERS_0)).isEqualTo(ErrorCode.INVALID_COMMIT_OFFSET_SIZE);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offset(ORDERS_0).offset()).isEqualTo(5);
    }

    @Test
    void adminCommitAndDeleteAreRefusedWhileMembersAreActive() {
        OffsetCommitResult refused = h.commit(OffsetCommitRequest.admin("g", List.of(PartitionOffset.of("orders", 0, 0))));
        assertThat(refused.errorFor(ORDERS_0)).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
        assertThat(h.apply(h.shard.deleteGroups(List.of("g")))).containsEntry("g", ErrorCode.NON_EMPTY_GROUP);

        leave(a);
        leave(b);
        assertThat(h.group("g")).as("no offsets: the group went away with its last member").isNull();

        OffsetCommitResult reset = h.commit(OffsetCommitRequest.admin("g", List.of(PartitionOffset.of("orders", 0, 3))));
        assertThat(reset.isSuccess()).isTrue();
        assertThat(h.group("g").state()).isEqualTo(GroupState.EMPTY);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offset(ORDERS_0).offset()).isEqualTo(3);

        assertThat(h.apply(h.shard.deleteGroups(List.of("g", "unknown", ""))))
                .containsEntry("g", ErrorCode.NONE)
                .containsEntry("unknown", ErrorCode.GROUP_ID_NOT_FOUND)
                .containsEntry("", ErrorCode.INVALID_GROUP_ID);
        assertThat(h.group("g")).isNull();
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.of("g", List.of(ORDERS_0))).offset(ORDERS_0))
                .isEqualTo(CommittedOffset.NONE);
    }

    @Test
    void aGroupWithOffsetsOutlivesItsMembers() {
        commit(a, a.epoch, PartitionOffset.of("orders", 0, 9));
        leave(a);
        leave(b);
        assertThat(h.group("g").state()).isEqualTo(GroupState.EMPTY);
        assertThat(h.shard.listGroups(Set.of(GroupState.EMPTY))).extracting(GroupListing::groupId).containsExactly("g");

        // A new member picks up where the group left off.
        SimulatedConsumer c = SimulatedConsumer.dynamic("g", "orders");
        c.onResult(h.heartbeat(c.joinRequest()), true);
        assertThat(c.epoch).as("epochs keep growing").isGreaterThan(a.epoch);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offset(ORDERS_0).offset()).isEqualTo(9);
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetention() {
        long retentionMs = GroupCoordinatorConfig.DEFAULT_OFFSETS_RETENTION_MS;
        commit(a, a.epoch, PartitionOffset.of("orders", 0, 9));
        leave(a);
        leave(b);
        h.advance(retentionMs / 2);
        h.commit(OffsetCommitRequest.admin("g", List.of(PartitionOffset.of("orders", 1, 4))));
        h.advance(retentionMs / 2 + GroupCoordinatorConfig.DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS);
        assertThat(h.group("g").offsets()).as("the newer commit is kept").containsOnlyKeys(ORDERS_1);

        h.advance(retentionMs / 2);
        assertThat(h.group("g")).as("nothing left: the group is gone").isNull();
    }

    @Test
    void deletingATopicDeletesItsCommittedOffsets() {
        h.topics(Map.of("orders", 2, "audit", 1));
        commit(a, a.epoch, PartitionOffset.of("orders", 0, 9), PartitionOffset.of("audit", 0, 4));
        h.topics(Map.of("orders", 2));
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("g")).offsets()).containsOnlyKeys(ORDERS_0);
    }

    @Test
    void fetchByAMemberChecksItsEpoch() {
        assertThat(h.shard.fetchOffsets(new OffsetFetchRequest("g", a.memberId, a.epoch, null)).error())
                .isEqualTo(ErrorCode.NONE);
        assertThat(h.shard.fetchOffsets(new OffsetFetchRequest("g", a.memberId, a.epoch - 1, null)).error())
                .isEqualTo(ErrorCode.STALE_MEMBER_EPOCH);
        assertThat(h.shard.fetchOffsets(new OffsetFetchRequest("g", "nobody", 1, null)).error())
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(h.shard.fetchOffsets(OffsetFetchRequest.all("unknown")).offsets()).isEmpty();
    }

    @Test
    void listFiltersByStateAndDescribeShowsMembersAndOffsets() {
        commit(a, a.epoch, PartitionOffset.of("orders", 0, 9));
        h.commit(OffsetCommitRequest.admin("idle", List.of(PartitionOffset.of("orders", 1, 1))));

        assertThat(h.shard.listGroups(Set.of())).extracting(GroupListing::groupId).containsExactly("g", "idle");
        assertThat(h.shard.listGroups(Set.of(GroupState.STABLE))).extracting(GroupListing::groupId).containsExactly("g");
        assertThat(h.shard.listGroups(Set.of(GroupState.DEAD))).isEmpty();

        GroupDescription description = h.shard.describeGroup("g");
        assertThat(description.error()).isEqualTo(ErrorCode.NONE);
        assertThat(description.state()).isEqualTo(GroupState.STABLE);
        assertThat(description.assignor()).isEqualTo("uniform");
        assertThat(description.members()).extracting(MemberDescription::memberId).containsExactly(a.memberId, b.memberId);
        MemberDescription first = description.members().get(0);
        assertThat(first.clientHost()).isEqualTo("/10.0.0.1");
        assertThat(first.subscribedTopicNames()).containsExactly("orders");
        assertThat(first.assignment()).isEqualTo(first.targetAssignment()).isEqualTo(a.owned);
        assertThat(description.offsets()).containsOnlyKeys(ORDERS_0);

        assertThat(h.shard.describeGroup("missing").error()).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND);
        assertThat(h.shard.describeGroup("missing").state()).isEqualTo(GroupState.DEAD);
    }

    private void leave(SimulatedConsumer c) {
        assertThat(h.heartbeat(HeartbeatRequest.builder("g").memberId(c.memberId).memberEpoch(-1).build()).error())
                .isEqualTo(ErrorCode.NONE);
    }
}
