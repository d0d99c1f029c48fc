package io.cairn.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.AlterConfigsRequest;
import io.cairn.protocol.message.AlterConfigsResponse;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ConfigResources;
import io.cairn.protocol.message.CreatePartitionsRequest;
import io.cairn.protocol.message.CreatePartitionsResponse;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.message.CreateTopicsResponse;
import io.cairn.protocol.message.DeleteTopicsRequest;
import io.cairn.protocol.message.DeleteTopicsResponse;
import io.cairn.protocol.message.DescribeConfigsRequest;
import io.cairn.protocol.message.DescribeConfigsResponse;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic admin APIs over a real socket, checked against Metadata, the data directory and restarts. */
class TopicAdminApiTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private RawClient client;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dir);
        client = broker.rawClient();
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
    }

    @Test
    void aCreatedTopicIsInMetadataOnDiskAndSurvivesRestarts() {
        CreateTopicsResponse.TopicResult created = create("orders", 3, Map.of("retention.ms", "3600000"));
        assertThat(created.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(created.numPartitions()).isEqualTo(3);
        assertThat(created.topicId()).isNotEqualTo(new UUID(0, 0));

        MetadataResponse.Topic topic = metadata("orders");
        assertThat(topic.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(topic.topicId()).isEqualTo(created.topicId());
        assertThat(topic.partitions()).extracting(MetadataResponse.Partition::partitionIndex).containsExactly(0, 1, 2);
        assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.leaderId()).isEqualTo(0));
        for (int p = 0; p < 3; p++) {
            assertThat(dir.resolve("orders-" + p)).isDirectory();
        }
        String clusterId = client.call(ApiSpecs.METADATA, new MetadataRequest(List.of(), false)).clusterId();

        client.close();
        broker.restart();
        client = broker.rawClient();
        assertThat(metadata("orders").topicId()).isEqualTo(created.topicId());
        assertThat(describeTopic("orders", "retention.ms").value()).isEqualTo("3600000");

        client.close();
        broker.crash();
        broker.restart();
        client = broker.rawClient();
        MetadataResponse afterCrash = client.call(ApiSpecs.METADATA, new MetadataRequest(null, false));
        assertThat(afterCrash.clusterId()).isEqualTo(clusterId);
        assertThat(afterCrash.topics()).extracting(MetadataResponse.Topic::name).containsExactly("orders");
        assertThat(afterCrash.topics().get(0).partitions()).hasSize(3);
    }

    @Test
    void metadataDescribesThisBrokerAndTheTopicsAskedFor() {
        create("a", 1, Map.of());
        create("b", 2, Map.of());

        MetadataResponse brokersOnly = client.call(ApiSpecs.METADATA, new MetadataRequest(List.of(), false));
        assertThat(brokersOnly.topics()).isEmpty();
        assertThat(brokersOnly.brokers()).singleElement().satisfies(b -> {
            assertThat(b.nodeId()).isZero();
            assertThat(b.host() + ":" + b.port()).isEqualTo(broker.bootstrap());
        });
        assertThat(brokersOnly.clusterId()).isNotBlank();

        MetadataResponse all = client.call(ApiSpecs.METADATA, new MetadataRequest(null, false));
        assertThat(all.topics()).extracting(MetadataResponse.Topic::name).containsExactly("a", "b");

        MetadataResponse some = client.call(ApiSpecs.METADATA, new MetadataRequest(List.of("b", "nope", "bad name"), true));
        assertThat(some.topics()).extracting(MetadataResponse.Topic::name).containsExactly("b", "nope", "bad name");
        assertThat(some.topics()).extracting(MetadataResponse.Topic::errorCode).containsExactly(ErrorCode.NONE.code(),
                ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), ErrorCode.INVALID_TOPIC_EXCEPTION.code());
        assertThat(broker.broker().topics().liveTopic("nope")).as("auto-creation is off by default").isEmpty();
    }

    @Test
    void createRefusesWhatItCannotDoWithAReasonPerTopic() {
        CreateTopicsResponse response = client.call(ApiSpecs.CREATE_TOPICS, new CreateTopicsRequest(List.of(
                topic("ok", 1, Map.of()),
                topic("bad/name", 1, Map.of()),
                topic("__mine", 1, Map.of()),
                topic("zero", 0, Map.of()),
                topic("conf", 1, Map.of("retention.ms", "soon")),
                topic("nokey", 1, Map.of("no.such.key", "1")),
                new CreateTopicsRequest.CreatableTopic("replicated", 1, (short) 3, List.of()),
                topic("twice", 1, Map.of()),
                topic("twice", 1, Map.of())), 10_000, false));

        assertThat(response.topics()).extracting(CreateTopicsResponse.TopicResult::errorCode).containsExactly(
                ErrorCode.NONE.code(), ErrorCode.INVALID_TOPIC_EXCEPTION.code(), ErrorCode.INVALID_TOPIC_EXCEPTION.code(),
                ErrorCode.INVALID_PARTITIONS.code(), ErrorCode.INVALID_CONFIG.code(), ErrorCode.INVALID_CONFIG.code(),
                ErrorCode.INVALID_REPLICATION_FACTOR.code(), ErrorCode.INVALID_REQUEST.code(), ErrorCode.INVALID_REQUEST.code());
        assertThat(response.topics().get(4).errorMessage()).contains("retention.ms");
        assertThat(response.topics().get(5).errorMessage()).contains("no.such.key");
        assertThat(response.topics().subList(1, 9)).allSatisfy(r -> assertThat(r.errorMessage()).isNotBlank());

        assertThat(create("ok", 1, Map.of()).errorCode()).isEqualTo(ErrorCode.TOPIC_ALREADY_EXISTS.code());
        assertThat(client.call(ApiSpecs.METADATA, new MetadataRequest(null, false)).topics())
                .extracting(MetadataResponse.Topic::name).containsExactly("ok");
    }

    @Test
    void validateOnlyChangesNothing() {
        CreateTopicsResponse response = client.call(ApiSpecs.CREATE_TOPICS,
                new CreateTopicsRequest(List.of(topic("dry", 4, Map.of())), 10_000, true));

        assertThat(response.topics().get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(response.topics().get(0).numPartitions()).isEqualTo(4);
        assertThat(metadata("dry").errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(dir.resolve("dry-0")).doesNotExist();
    }

    @Test
    void deleteRemovesTheTopicAndProtectsInternalOnes() throws Exception {
        create("gone", 2, Map.of());

        DeleteTopicsResponse response = client.call(ApiSpecs.DELETE_TOPICS,
                new DeleteTopicsRequest(List.of("gone", "never", "__consumer_offsets"), 10_000));

        assertThat(response.topics()).extracting(DeleteTopicsResponse.DeletableTopicResult::errorCode).containsExactly(
                ErrorCode.NONE.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), ErrorCode.POLICY_VIOLATION.code());
        assertThat(metadata("gone").errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(dir.resolve("gone-0")).as("out of the partition namespace at once").doesNotExist();
        assertThat(broker.broker().logManager().log(new TopicPartition("gone", 0))).isEmpty();

        assertThat(create("gone", 1, Map.of()).errorCode()).as("the name is free again").isEqualTo(ErrorCode.NONE.code());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.matches("gone-\\d+"))).containsExactly("gone-0");
        }
    }

    @Test
    void createPartitionsOnlyGrows() {
        create("grow", 2, Map.of());

        assertThat(createPartitions("grow", 5)).isEqualTo(ErrorCode.NONE.code());
        assertThat(metadata("grow").partitions()).hasSize(5);
        assertThat(dir.resolve("grow-4")).isDirectory();

        assertThat(createPartitions("grow", 4)).isEqualTo(ErrorCode.INVALID_PARTITIONS.code());
        assertThat(createPartitions("grow", 5)).isEqualTo(ErrorCode.INVALID_PARTITIONS.code());
        assertThat(createPartitions("missing", 2)).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(metadata("grow").partitions()).hasSize(5);
    }

    @Test
    void describeConfigsShowsOverridesAndDefaults() {
        create("cfg", 1, Map.of("retention.ms", "60000"));

        DescribeConfigsResponse.DescribeConfigsEntry retention = describeTopic("cfg", "retention.ms");
        assertThat(retention.value()).isEqualTo("60000");
        assertThat(retention.isDefault()).isFalse();
        assertThat(retention.readOnly()).isFalse();
        DescribeConfigsResponse.DescribeConfigsEntry segment = describeTopic("cfg", "segment.bytes");
        assertThat(segment.isDefault()).isTrue();
        assertThat(segment.configType()).isEqualTo((byte) 5);

        DescribeConfigsResponse all = client.call(ApiSpecs.DESCRIBE_CONFIGS, new DescribeConfigsRequest(List.of(
                new DescribeConfigsRequest.DescribeConfigsResource(ConfigResources.TYPE_TOPIC, "cfg", null),
                new DescribeConfigsRequest.DescribeConfigsResource(ConfigResources.TYPE_BROKER, "0", List.of("port", "data.dir")),
                new DescribeConfigsRequest.DescribeConfigsResource(ConfigResources.TYPE_TOPIC, "missing", null),
                new DescribeConfigsRequest.DescribeConfigsResource((byte) 9, "x", null)), true));
        assertThat(all.results()).extracting(DescribeConfigsResponse.DescribeConfigsResult::errorCode).containsExactly(
                ErrorCode.NONE.code(), ErrorCode.NONE.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(),
                ErrorCode.INVALID_REQUEST.code());
        assertThat(all.results().get(0).configs()).extracting(DescribeConfigsResponse.DescribeConfigsEntry::name)
                .contains("cleanup.policy", "retention.ms", "segment.bytes");
        assertThat(all.results().get(0).configs()).allSatisfy(e -> assertThat(e.documentation()).isNotBlank());
        assertThat(all.results().get(1).configs()).extracting(DescribeConfigsResponse.DescribeConfigsEntry::name)
                .containsExactlyInAnyOrder("port", "data.dir");
        assertThat(all.results().get(1).configs()).allSatisfy(e -> assertThat(e.readOnly()).isTrue());
        assertThat(all.results().get(1).configs()).filteredOn(e -> e.name().equals("data.dir")).singleElement()
                .satisfies(e -> assertThat(e.value()).isEqualTo(dir.toString()));
    }

    @Test
    void alterConfigsChangesOnlyTheKeysListedAndReachesTheLogs() {
        create("alt", 2, Map.of("retention.ms", "60000", "segment.bytes", "1048576"));

        AlterConfigsResponse response = client.call(ApiSpecs.ALTER_CONFIGS, new AlterConfigsRequest(List.of(
                new AlterConfigsRequest.AlterConfigsResource(ConfigResources.TYPE_TOPIC, "alt", List.of(
                        new AlterConfigsRequest.AlterableConfig("retention.ms", AlterConfigsRequest.OP_SET, "120000"),
                        new AlterConfigsRequest.AlterableConfig("cleanup.policy", AlterConfigsRequest.OP_SET, "compact"),
                        new AlterConfigsRequest.AlterableConfig("segment.bytes", AlterConfigsRequest.OP_DELETE, null)))),
                false));

        assertThat(response.responses()).singleElement().satisfies(r -> assertThat(r.errorCode()).isEqualTo(ErrorCode.NONE.code()));
        assertThat(describeTopic("alt", "retention.ms").value()).isEqualTo("120000");
        assertThat(describeTopic("alt", "cleanup.policy").value()).isEqualTo("compact");
        assertThat(describeTopic("alt", "segment.bytes").isDefault()).isTrue();
        assertThat(broker.broker().logManager().log(new TopicPartition("alt", 1)).orElseThrow().config().retentionMs())
                .isEqualTo(120_000L);

        client.close();
        broker.restart();
        client = broker.rawClient();
        assertThat(describeTopic("alt", "retention.ms").value()).isEqualTo("120000");
    }

    @Test
    void alterConfigsIsAllOrNothingPerTopicAndRefusesBrokerSettings() {
        create("strict", 1, Map.of("retention.ms", "60000"));

        AlterConfigsResponse response = client.call(ApiSpecs.ALTER_CONFIGS, new AlterConfigsRequest(List.of(
                new AlterConfigsRequest.AlterConfigsResource(ConfigResources.TYPE_TOPIC, "strict", List.of(
                        new AlterConfigsRequest.AlterableConfig("retention.ms", AlterConfigsRequest.OP_SET, "1"),
                        new AlterConfigsRequest.AlterableConfig("segment.bytes", AlterConfigsRequest.OP_SET, "-5"))),
                new AlterConfigsRequest.AlterConfigsResource(ConfigResources.TYPE_BROKER, "0", List.of(
                        new AlterConfigsRequest.AlterableConfig("port", AlterConfigsRequest.OP_SET, "1"))),
                new AlterConfigsRequest.AlterConfigsResource(ConfigResources.TYPE_TOPIC, "missing", List.of())), false));

        assertThat(response.responses()).extracting(AlterConfigsResponse.AlterConfigsResourceResponse::errorCode).containsExactly(
                ErrorCode.INVALID_CONFIG.code(), ErrorCode.INVALID_REQUEST.code(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.responses().get(0).errorMessage()).contains("segment.bytes");
        assertThat(describeTopic("strict", "retention.ms").value()).isEqualTo("60000");
    }

    @Test
    void autoCreationFollowsTheBrokerSetting(@TempDir Path other) {
        try (EmbeddedBroker auto = EmbeddedBroker.start(other, Map.of("auto.create.topics.enable", "true", "num.partitions", "2"));
             RawClient c = auto.rawClient()) {
            MetadataResponse response = c.call(ApiSpecs.METADATA, new MetadataRequest(List.of("fresh", "__internal"), true));
            assertThat(response.topics().get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
            assertThat(response.topics().get(0).partitions()).hasSize(2);
            assertThat(response.topics().get(1).errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());

            MetadataResponse notAllowed = c.call(ApiSpecs.METADATA, new MetadataRequest(List.of("other"), false));
            assertThat(notAllowed.topics().get(0).errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    private CreateTopicsResponse.TopicResult create(String name, int partitions, Map<String, String> configs) {
        return client.call(ApiSpecs.CREATE_TOPICS, new CreateTopicsRequest(List.of(topic(name, partitions, configs)), 10_000, false))
                .topics().get(0);
    }

    private static CreateTopicsRequest.CreatableTopic topic(String name, int partitions, Map<String, String> configs) {
        return new CreateTopicsRequest.CreatableTopic(name, partitions, (short) -1, configs.entrySet().stream()
                .map(e -> new CreateTopicsRequest.Config(e.getKey(), e.getValue())).toList());
    }

    private MetadataResponse.Topic metadata(String name) {
        return client.call(ApiSpecs.METADATA, new MetadataRequest(List.of(name), false)).topics().get(0);
    }

    private short createPartitions(String name, int count) {
        CreatePartitionsResponse response = client.call(ApiSpecs.CREATE_PARTITIONS, new CreatePartitionsRequest(
                List.of(new CreatePartitionsRequest.CreatePartitionsTopic(name, count)), 10_000, false));
        return response.results().get(0).errorCode();
    }

    private DescribeConfigsResponse.DescribeConfigsEntry describeTopic(String name, String key) {
        DescribeConfigsResponse response = client.call(ApiSpecs.DESCRIBE_CONFIGS, new DescribeConfigsRequest(List.of(
                new DescribeConfigsRequest.DescribeConfigsResource(ConfigResources.TYPE_TOPIC, name, List.of(key))), false));
        return response.results().get(0).configs().get(0);
    }
}
