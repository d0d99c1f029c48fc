package io.cairn.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.InvalidConfigurationException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.errors.TopicExistsException;
import io.cairn.client.errors.UnknownTopicOrPartitionException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.testing.FakeBroker;
import io.cairn.protocol.wire.ErrorCode;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin client's requests, results and error mapping against {@link FakeBroker}. */
class AdminFakeBrokerTest {
    private final FakeBroker broker = new FakeBroker(Map.of("existing", 2));
    private final CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void topicsLifecycle() throws Exception {
        get(admin.createTopics(List.of(NewTopic.of("a", 3), NewTopic.of("b", 1))));
        assertThat(get(admin.listTopics())).containsExactly("a", "b", "existing");
        assertThatThrownBy(() -> get(admin.createTopics(List.of(NewTopic.of("a", 1), NewTopic.of("existing", 1)))))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicExistsException.class)
                .hasMessageStartingWith("TOPIC_ALREADY_EXISTS: create topic a")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        get(admin.createPartitions(Map.of("a", 5)));
        Map<String, TopicDescription> d = get(admin.describeTopics(List.of("a", "existing")));
        assertThat(d.get("a").partitions()).hasSize(5).allMatch(p -> p.leaderId() == 1 && p.startOffset() == 0);
        assertThat(d.get("a").sizeBytes()).isZero();
        assertThat(d.get("a").segmentCount()).isEqualTo(5);
        assertThatThrownBy(() -> get(admin.createPartitions(Map.of("a", 2)))).cause()
                .isInstanceOf(BrokerException.class).hasMessageContaining("INVALID_PARTITIONS")
                .satisfies(e -> assertThat(((BrokerException) e).errorCode()).isEqualTo(ErrorCode.INVALID_PARTITIONS));
        get(admin.deleteTopics(List.of("b")));
        assertThat(get(admin.listTopics())).doesNotContain("b");
        assertThatThrownBy(() -> get(admin.deleteTopics(List.of("b")))).cause()
                .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("delete topic b");
        assertThatThrownBy(() -> get(admin.describeTopics(List.of("b")))).cause()
                .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessageContaining("b");
    }

    @Test
    void describeTopicsReportsOffsets() throws Exception {
        try (CairnProducer<byte[], byte[]> p = CairnProducer.builder().bootstrapServers(broker.bootstrap()).build()) {
            for (int i = 0; i < 7; i++) {
                p.send(new ProducerRecord<>("existing", 1, null, new byte[] {(byte) i}));
            }
            p.flush();
        }
        TopicDescription d = get(admin.describeTopics(List.of("existing"))).get("existing");
        assertThat(d.partitions().get(1).endOffset()).isEqualTo(7);
        assertThat(d.partitions().get(0).endOffset()).isZero();
        assertThat(d.recordCount()).isEqualTo(7);
        assertThat(d.partitions().get(1).sizeBytes()).isPositive();
        assertThat(d.partitions().get(0).sizeBytes()).isZero();
        assertThat(d.sizeBytes()).isEqualTo(d.partitions().get(1).sizeBytes());
        TopicPartition tp = new TopicPartition("existing", 1);
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))).get(tp).offset()).isEqualTo(7);
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))).get(tp).offset()).isZero();
    }

    @Test
    void configsDescribeAndAlter() throws Exception {
        ConfigResource r = ConfigResource.topic("existing");
        assertThat(get(admin.describeConfigs(List.of(r))).get(r).get("retention.ms").isDefault()).isTrue();
        get(admin.alterConfigs(Map.of(r, List.of(AlterConfigOp.set("retention.ms", "1000")))));
        ConfigEntry e = get(admin.describeConfigs(List.of(r))).get(r).get("retention.ms");
        assertThat(e.value()).isEqualTo("1000");
        assertThat(e.isDefault()).isFalse();
        assertThatThrownBy(() -> get(admin.alterConfigs(Map.of(r, List.of(AlterConfigOp.set("retention.ms", "soon"))))))
                .cause().isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms")
                .hasMessageContaining("soon");
    }

    @Test
    void operationsTimeOutWithoutABroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (CairnAdmin lonely = CairnAdmin.builder().bootstrapServers("127.0.0.1:" + port).defaultApiTimeoutMs(800)
                .requestTimeoutMs(300).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> get(lonely.listTopics())).cause().isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("default.api.timeout.ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(700L, 5000L);
        }
    }

    @Test
    void closedAdminFailsCalls() {
        admin.close();
        assertThatThrownBy(() -> get(admin.listTopics())).cause().isInstanceOf(ClientClosedException.class);
    }
}
