package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.api.RequestObserver;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.runtime.InMemoryGroupLog;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatResponse;
import io.cairn.protocol.message.DeleteGroupsRequest;
import io.cairn.protocol.message.DescribeGroupsRequest;
import io.cairn.protocol.message.DescribeGroupsResponse;
import io.cairn.protocol.message.FindCoordinatorRequest;
import io.cairn.protocol.message.FindCoordinatorResponse;
import io.cairn.protocol.message.ListGroupsRequest;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The group APIs from decoded wire messages to wire responses, over an in-memory coordinator. */
class GroupHandlersTest {

    private GroupCoordinator coordinator;

    @BeforeEach
    void start() throws Exception {
        coordinator = new GroupCoordinator(GroupCoordinatorConfig.defaults().withOffsetsTopicPartitions(4),
                new InMemoryGroupLog.Factory(), System::currentTimeMillis);
        coordinator.start(Map.of("orders", 3)).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        coordinator.close();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private ConsumerGroupHeartbeatResponse join(String group) throws Exception {
        return get(new ConsumerGroupHeartbeatHandler(coordinator).handle("app-1", "/10.1.2.3",
                new ConsumerGroupHeartbeatRequest(group, "", 0, null, null, 60_000, List.of("orders"), null, null,
                        List.of())));
    }

    @Test
    void heartbeatJoinsAndReturnsTheAssignment() throws Exception {
        ConsumerGroupHeartbeatResponse joined = join("g");
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.errorMessage()).isNull();
        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.assignment()).containsExactly(new TopicPartitions("orders", List.of(0, 1, 2)));

        ConsumerGroupHeartbeatResponse fenced = get(new ConsumerGroupHeartbeatHandler(coordinator).handle("app-1", "/10.1.2.3",
                new ConsumerGroupHeartbeatRequest("g", joined.memberId(), 7, null, null, -1, null, null, null, null)));
        assertThat(fenced.errorCode()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH.code());
        assertThat(fenced.errorMessage()).contains("epoch 7");

        DescribeGroupsResponse described = get(new DescribeGroupsHandler(coordinator, tp -> 10L)
                .handle(new DescribeGroupsRequest(List.of("g"))));
        DescribeGroupsResponse.Member member = described.groups().get(0).members().get(0);
        assertThat(member.clientId()).isEqualTo("app-1");
        assertThat(member.clientHost()).isEqualTo("/10.1.2.3");
    }

    @Test
    void commitFetchDescribeWithLagListAndDelete() throws Exception {
        ConsumerGroupHeartbeatResponse joined = join("g");
        OffsetCommitResponse committed = get(new OffsetCommitHandler(coordinator).handle(new OffsetCommitRequest("g",
                joined.memberId(), joined.memberEpoch(), null, List.of(new OffsetCommitRequest.OffsetCommitTopic("orders",
                List.of(new OffsetCommitRequest.OffsetCommitPartition(0, 40, 2, "m"),
                        new OffsetCommitRequest.OffsetCommitPartition(-1, 1, -1, null),
                        new OffsetCommitRequest.OffsetCommitPartition(9, 1, -1, null)))))));
        assertThat(committed.topics().get(0).partitions()).extracting(p -> p.errorCode()).containsExactly(
                ErrorCode.NONE.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());

        OffsetFetchResponse fetched = get(new OffsetFetchHandler(coordinator).handle(new OffsetFetchRequest("g",
                List.of(new TopicPartitions("orders", List.of(0, 1))))));
        assertThat(fetched.topics().get(0).partitions()).containsExactly(
                new OffsetFetchResponse.OffsetFetchPartition(0, 40, 2, "m", (short) 0),
                new OffsetFetchResponse.OffsetFetchPartition(1, -1, -1, null, (short) 0));
        assertThat(get(new OffsetFetchHandler(coordinator).handle(new OffsetFetchRequest("g", null))).topics().get(0)
                .partitions()).hasSize(1);

        DescribeGroupsResponse described = get(new DescribeGroupsHandler(coordinator, tp -> tp.partition() == 0 ? 100L : -1L)
                .handle(new DescribeGroupsRequest(List.of("g", "missing"))));
        DescribeGroupsResponse.DescribedGroup group = described.groups().get(0);
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.assignorName()).isEqualTo("uniform");
        assertThat(group.offsets()).containsExactly(new DescribeGroupsResponse.Offset("orders", 0, 40, 100, 60));
        assertThat(described.groups().get(1).errorCode()).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND.code());
        assertThat(described.groups().get(1).groupState()).isEqualTo("Dead");

        var handler = new ListGroupsHandler(coordinator);
        assertThat(get(handler.handle(new ListGroupsRequest(List.of("stable")))).groups())
                .containsExactly(new io.cairn.protocol.message.ListGroupsResponse.ListedGroup("g", "Stable", "consumer"));
        assertThat(get(handler.handle(new ListGroupsRequest(List.of("Empty")))).groups()).isEmpty();
        assertThat(get(handler.handle(new ListGroupsRequest(List.of("Sleeping")))).errorCode())
                .isEqualTo(ErrorCode.INVALID_REQUEST.code());

        assertThat(get(new DeleteGroupsHandler(coordinator).handle(new DeleteGroupsRequest(List.of("g", "missing"))))
                .results()).extracting(r -> r.errorCode())
                .containsExactly(ErrorCode.NON_EMPTY_GROUP.code(), ErrorCode.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void findCoordinatorAnswersWithThisBroker() {
        FindCoordinatorHandler handler = new FindCoordinatorHandler(() -> new FindCoordinatorHandler.Endpoint(1, "broker-a", 9092));
        assertThat(handler.handle(new FindCoordinatorRequest("g", FindCoordinatorRequest.KEY_TYPE_GROUP)))
                .isEqualTo(new FindCoordinatorResponse((short) 0, null, 1, "broker-a", 9092));
        assertThat(handler.handle(new FindCoordinatorRequest("g", (byte) 1)).errorCode())
                .isEqualTo(ErrorCode.INVALID_REQUEST.code());
        assertThat(handler.handle(new FindCoordinatorRequest("", (byte) 0)).errorCode())
                .isEqualTo(ErrorCode.INVALID_GROUP_ID.code());
    }

    @Test
    void registersEveryGroupApi() {
        ApiDispatcher dispatcher = new ApiDispatcher(RequestObserver.NONE);
        GroupHandlers.register(dispatcher, coordinator, () -> new FindCoordinatorHandler.Endpoint(0, "localhost", 9092),
                tp -> -1L);
        for (ApiKey api : List.of(ApiKey.FIND_COORDINATOR, ApiKey.CONSUMER_GROUP_HEARTBEAT, ApiKey.OFFSET_COMMIT,
                ApiKey.OFFSET_FETCH, ApiKey.LIST_GROUPS, ApiKey.DESCRIBE_GROUPS, ApiKey.DELETE_GROUPS)) {
            assertThat(dispatcher.serves(api)).as(api.toString()).isTrue();
        }
    }
}
