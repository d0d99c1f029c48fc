package io.cairn.client.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.AlterConfigOp;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConfigEntry;
import io.cairn.client.admin.ConfigResource;
import io.cairn.client.admin.ListedOffset;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.admin.OffsetSpec;
import io.cairn.client.admin.PartitionDescription;
import io.cairn.client.admin.TopicDescription;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.errors.TopicExistsException;
import io.cairn.client.errors.UnknownTopicOrPartitionException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import io.cairn.storage.Log;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin client against a real in-process broker. */
class AdminAcceptanceTest {
    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;
    private CairnAdmin admin;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir);
        admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void createListDescribeAndDeleteTopics() throws Exception {
        get(admin.createTopics(List.of(NewTopic.of("orders", 3), NewTopic.of("payments", 1))));
        assertThat(get(admin.listTopics())).contains("orders", "payments");
        assertThatThrownBy(() -> get(admin.createTopics(List.of(NewTopic.of("orders", 3)))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicExistsException.class)
                .hasMessageContaining("TOPIC_ALREADY_EXISTS").hasMessageContaining("orders");

        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>("orders", 1, "k", "v" + i));
            }
            p.flush();
        }
        TopicDescription orders = get(admin.describeTopics(List.of("orders"))).get("orders");
        assertThat(orders.partitions()).hasSize(3);
        assertThat(orders.partitions().get(1).startOffset()).isZero();
        assertThat(orders.partitions().get(1).endOffset()).isEqualTo(10);
        assertThat(orders.partitions().get(0).endOffset()).isZero();
        assertThat(orders.recordCount()).isEqualTo(10);
        assertThat(orders.partitions()).allMatch(p -> p.leaderId() >= 0);

        assertThatThrownBy(() -> get(admin.describeTopics(List.of("nope"))))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("nope");

        get(admin.createPartitions(Map.of("orders", 5)));
        assertThat(get(admin.describeTopics(List.of("orders"))).get("orders").partitions()).hasSize(5);
        assertThatThrownBy(() -> get(admin.createPartitions(Map.of("orders", 2))))
                .hasCauseInstanceOf(BrokerException.class).hasMessageContaining("INVALID_PARTITIONS");

        get(admin.deleteTopics(List.of("payments")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get(admin.listTopics())).doesNotContain("payments"));
        assertThatThrownBy(() -> get(admin.deleteTopics(List.of("payments"))))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeTopicsReportsSizeOnDiskAndSegmentsOfEachPartition() throws Exception {
        get(admin.createTopics(List.of(NewTopic.of("rolled", 2).withConfigs(Map.of("segment.bytes", "1024")))));
        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = 0; i < 30; i++) {
                // one flush per record: 30 batches of ~150 bytes roll the 1 KiB segments several times
                p.send(new ProducerRecord<>("rolled", 0, "k", "v".repeat(80) + i));
                p.flush();
            }
        }

        TopicDescription rolled = get(admin.describeTopics(List.of("rolled"))).get("rolled");

        Log log = broker.broker().logManager().log(new io.cairn.storage.TopicPartition("rolled", 0)).orElseThrow();
        PartitionDescription written = rolled.partitions().get(0);
        assertThat(written.startOffset()).isZero();
        assertThat(written.endOffset()).isEqualTo(30);
        assertThat(written.sizeBytes()).isPositive().isEqualTo(log.sizeInBytes());
        assertThat(written.segmentCount()).isGreaterThanOrEqualTo(2).isEqualTo(log.segmentCount());
        PartitionDescription empty = rolled.partitions().get(1);
        assertThat(empty).isEqualTo(new PartitionDescription(1, 0, 0, 0, 0, 1));
        assertThat(rolled.sizeBytes()).isEqualTo(written.sizeBytes());
        assertThat(rolled.segmentCount()).isEqualTo(written.segmentCount() + 1L);

        long newStart = log.roll();
        log.advanceLogStartOffset(newStart);
        PartitionDescription trimmed = get(admin.describeTopics(List.of("rolled"))).get("rolled").partitions().get(0);
        assertThat(trimmed.startOffset()).isEqualTo(30);
        assertThat(trimmed.endOffset()).isEqualTo(30);
        assertThat(trimmed.recordCount()).isZero();
    }

    @Test
    void describeAndAlterTopicConfigs() throws Exception {
        get(admin.createTopics(List.of(NewTopic.of("cfg", 1).withConfigs(Map.of("retention.ms", "3600000")))));
        ConfigResource topic = ConfigResource.topic("cfg");
        Map<String, ConfigEntry> entries = get(admin.describeConfigs(List.of(topic))).get(topic);
        assertThat(entries.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(entries.get("retention.ms").isDefault()).isFalse();

        get(admin.alterConfigs(Map.of(topic, List.of(AlterConfigOp.set("retention.ms", "7200000")))));
        assertThat(get(admin.describeConfigs(List.of(topic))).get(topic).get("retention.ms").value())
                .isEqualTo("7200000");
        get(admin.alterConfigs(Map.of(topic, List.of(AlterConfigOp.delete("retention.ms")))));
        assertThat(get(admin.describeConfigs(List.of(topic))).get(topic).get("retention.ms").isDefault()).isTrue();

        assertThatThrownBy(() -> get(admin.alterConfigs(Map.of(topic, List.of(AlterConfigOp.set("retention.ms",
                "soon")))))).hasCauseInstanceOf(BrokerException.class).hasMessageContaining("retention.ms");
    }

    @Test
    void listOffsetsEarliestLatestAndByTime() throws Exception {
        get(admin.createTopics(List.of(NewTopic.of("lo", 1))));
        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>("lo", 0, 10_000L * (i + 1), "k", "v" + i, null));
            }
            p.flush();
        }
        TopicPartition tp = new TopicPartition("lo", 0);
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))).get(tp).offset()).isZero();
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))).get(tp).offset()).isEqualTo(5);
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(25_000)))).get(tp))
                .isEqualTo(new ListedOffset(2, 30_000));
    }

    @Test
    void operationsAgainstNoBrokerTimeOut() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (CairnAdmin lonely = CairnAdmin.builder().bootstrapServers("127.0.0.1:" + port)
                .defaultApiTimeoutMs(800).requestTimeoutMs(300).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> lonely.listTopics().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TimeoutException.class).hasMessageContaining("default.api.timeout.ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
        }
    }
}
