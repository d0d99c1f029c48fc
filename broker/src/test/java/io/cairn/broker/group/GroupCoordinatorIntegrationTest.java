package io.cairn.broker.group;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.group.handler.FindCoordinatorHandler;
import io.cairn.broker.metadata.InternalTopic;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatResponse;
import io.cairn.protocol.message.DescribeGroupsRequest;
import io.cairn.protocol.message.DescribeGroupsResponse;
import io.cairn.protocol.message.FindCoordinatorRequest;
import io.cairn.protocol.message.FindCoordinatorResponse;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The group APIs against a real broker over TCP, across clean and crash restarts. */
class GroupCoordinatorIntegrationTest {

    private static final int OFFSETS_PARTITIONS = 3;
    private static final Map<String, Integer> TOPICS = Map.of("orders", 4);

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final AtomicReference<EmbeddedBroker> self = new AtomicReference<>();

    /** Hands the coordinator the broker's storage, with the topics created through the broker's registry. */
    private static final class TestStorage implements BrokerExtension {
        volatile LogManager logs;
        volatile MetadataStore metadata;
        volatile BrokerMetrics metrics;

        @Override
        public void start(BrokerContext context) {
            logs = context.logManager();
            metadata = context.metadataStore();
            metrics = context.metrics();
            context.topics().ensureInternal(new InternalTopic(TopicNames.CONSUMER_OFFSETS, OFFSETS_PARTITIONS,
                    Map.of("cleanup.policy", "compact")));
            TOPICS.forEach((topic, partitions) -> {
                if (context.topics().liveTopic(topic).isEmpty()) {
                    context.topics().create(topic, partitions, Map.of());
                }
            });
        }

        @Override
        public void close() {
            // the broker closes storage
        }
    }

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.builder(dir).extensions(() -> {
            TestStorage storage = new TestStorage();
            GroupCoordinatorExtension groups = new GroupCoordinatorExtension(context -> new GroupCoordinatorExtension.Resources(
                    storage.logs, storage.metadata, storage.metrics, OFFSETS_PARTITIONS, () -> TOPICS,
                    () -> new FindCoordinatorHandler.Endpoint(0, "127.0.0.1", self.get().port())));
            return List.of(storage, groups);
        }).start();
        self.set(broker);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static ConsumerGroupHeartbeatResponse heartbeat(RawClient client, ConsumerGroupHeartbeatRequest request) {
        return await("coordinator loaded").atMost(Duration.ofSeconds(20))
                .until(() -> client.call(ApiSpecs.CONSUMER_GROUP_HEARTBEAT, request),
                        r -> r.errorCode() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS.code());
    }

    private static OffsetFetchResponse.OffsetFetchPartition fetch(RawClient client, String group, int partition) {
        OffsetFetchResponse response = await().atMost(Duration.ofSeconds(20)).until(
                () -> client.call(ApiSpecs.OFFSET_FETCH, new OffsetFetchRequest(group,
                        List.of(new TopicPartitions("orders", List.of(partition))))),
                r -> r.errorCode() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS.code());
        assertThat(response.errorCode()).isZero();
        return response.topics().get(0).partitions().get(0);
    }

    @Test
    void consumersJoinCommitAndFindEverythingAgainAfterRestartsAndACrash() {
        ConsumerGroupHeartbeatResponse joined;
        try (RawClient client = broker.rawClient().clientId("billing-app")) {
            FindCoordinatorResponse coordinator = client.call(ApiSpecs.FIND_COORDINATOR,
                    new FindCoordinatorRequest("billing", FindCoordinatorRequest.KEY_TYPE_GROUP));
            assertThat(coordinator.port()).isEqualTo(broker.port());

            joined = heartbeat(client, new ConsumerGroupHeartbeatRequest("billing", "", 0, null, null, 60_000,
                    List.of("orders"), null, null, List.of()));
            assertThat(joined.errorCode()).isZero();
            assertThat(joined.assignment()).containsExactly(new TopicPartitions("orders", List.of(0, 1, 2, 3)));

            OffsetCommitResponse committed = client.call(ApiSpecs.OFFSET_COMMIT, new OffsetCommitRequest("billing",
                    joined.memberId(), joined.memberEpoch(), null, List.of(new OffsetCommitRequest.OffsetCommitTopic(
                    "orders", List.of(new OffsetCommitRequest.OffsetCommitPartition(2, 0, -1, "first"))))));
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isZero();

            DescribeGroupsResponse described = client.call(ApiSpecs.DESCRIBE_GROUPS,
                    new DescribeGroupsRequest(List.of("billing")));
            DescribeGroupsResponse.DescribedGroup group = described.groups().get(0);
            assertThat(group.groupState()).isEqualTo("Stable");
            assertThat(group.members().get(0).clientId()).isEqualTo("billing-app");
            assertThat(group.members().get(0).clientHost()).isEqualTo("/127.0.0.1");
            assertThat(group.offsets()).containsExactly(new DescribeGroupsResponse.Offset("orders", 2, 0, 0, 0));
        }

        broker.restart();
        try (RawClient client = broker.rawClient()) {
            assertThat(fetch(client, "billing", 2).committedOffset()).isZero();
            assertThat(fetch(client, "billing", 2).metadata()).isEqualTo("first");
            ConsumerGroupHeartbeatResponse again = heartbeat(client, new ConsumerGroupHeartbeatRequest("billing",
                    joined.memberId(), joined.memberEpoch(), null, null, -1, null, null, null, null));
            assertThat(again.errorCode()).as("the member survived the restart").isZero();
            OffsetCommitResponse committed = client.call(ApiSpecs.OFFSET_COMMIT, new OffsetCommitRequest("billing",
                    joined.memberId(), joined.memberEpoch(), null, List.of(new OffsetCommitRequest.OffsetCommitTopic(
                    "orders", List.of(new OffsetCommitRequest.OffsetCommitPartition(2, 0, -1, "second"))))));
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isZero();
        }

        // Answered commits were fsynced: a crash keeps them.
        broker.crash();
        broker.restart();
        try (RawClient client = broker.rawClient()) {
            assertThat(fetch(client, "billing", 2).metadata()).isEqualTo("second");
        }
    }
}
