package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.broker.config.TopicConfig;
import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicRegistryTest {

    @TempDir
    Path dataDir;

    private static Set<TopicPartition> dirs(String topic, int count) {
        Set<TopicPartition> s = new java.util.HashSet<>();
        for (int p = 0; p < count; p++) {
            s.add(new TopicPartition(topic, p));
        }
        return s;
    }

    @Test
    void createListAndDeleteATopic() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            TopicResult r = f.registry.create("orders", 3, Map.of("retention.ms", "1d"));
            assertThat(r.isOk()).isTrue();
            TopicMetadata t = r.topic();
            assertThat(t.state()).isEqualTo(TopicState.LIVE);
            assertThat(t.partitionCount()).isEqualTo(3);
            assertThat(t.overrides().asMap()).containsEntry("retention.ms", "86400000");
            assertThat(f.disk()).isEqualTo(dirs("orders", 3));
            assertThat(f.registry.liveTopic("orders")).contains(t);
            assertThat(f.registry.liveTopic(t.topicId())).contains(t);
            assertThat(f.registry.config("orders").map(TopicConfig::retentionMs)).contains(86_400_000L);
            assertThat(f.registry.liveTopics()).containsExactly(t);
            assertThat(f.registry.livePartitionCount()).isEqualTo(3);

            TopicResult d = f.registry.delete("orders");
            assertThat(d.isOk()).isTrue();
            assertThat(d.topic()).isEqualTo(t);
            assertThat(f.registry.topic("orders")).isEmpty();
            assertThat(f.registry.liveTopic(t.topicId())).isEmpty();
            assertThat(f.disk()).isEmpty();
            assertThat(f.store.get(Keyspace.TOPICS, TopicRecordCodec.topicKey("orders"))).isNull();
            assertThat(f.store.get(Keyspace.CONFIGS, TopicRecordCodec.configKey("orders"))).isNull();
        }
    }

    @Test
    void topicsSurviveARestartWithACleanReconcile() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            TopicMetadata t = f.registry.create("orders", 2, Map.of("cleanup.policy", "compact")).topic();
            f.registry.create("events", -1, Map.of());
            ReconcileReport report = f.restart();
            assertThat(report.clean()).isTrue();
            assertThat(f.registry.liveTopic("orders")).contains(t);
            assertThat(f.registry.config("orders").orElseThrow().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            assertThat(f.registry.liveTopic("events").orElseThrow().partitionCount()).isEqualTo(1);
        }
    }

    @Test
    void userRequestsAreValidated() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 1, Map.of());
            assertThat(f.registry.create("orders", 1, Map.of()).error()).isEqualTo(TopicError.TOPIC_ALREADY_EXISTS);
            assertThat(f.registry.create("bad/name", 1, Map.of())).satisfies(r -> {
                assertThat(r.error()).isEqualTo(TopicError.INVALID_TOPIC_NAME);
                assertThat(r.message()).contains("character '/'");
            });
            assertThat(f.registry.create("__mine", 1, Map.of())).satisfies(r -> {
                assertThat(r.error()).isEqualTo(TopicError.RESERVED_TOPIC_NAME);
                assertThat(r.message()).isEqualTo("topic __mine: names starting with __ are reserved for the broker's internal topics");
            });
            assertThat(f.registry.create("big", 10_001, Map.of())).satisfies(r -> {
                assertThat(r.error()).isEqualTo(TopicError.INVALID_PARTITIONS);
                assertThat(r.message()).isEqualTo("topic big: partitions=10001 must be in [1, 10000] (max.partitions.per.topic)");
            });
            assertThat(f.registry.create("zero", 0, Map.of()).error()).isEqualTo(TopicError.INVALID_PARTITIONS);
            assertThat(f.registry.create("cfg", 1, Map.of("segment.bytes", "1"))).satisfies(r -> {
                assertThat(r.error()).isEqualTo(TopicError.INVALID_CONFIG);
                assertThat(r.message()).contains("segment.bytes=1 (config of topic cfg): out of range [1024, 2147483647]");
            });
            assertThat(f.registry.delete("missing").error()).isEqualTo(TopicError.UNKNOWN_TOPIC);
            assertThat(f.disk()).isEqualTo(dirs("orders", 1));
        }
    }

    @Test
    void validateOnlyChangesNothing() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            TopicResult r = f.registry.create("orders", 4, Map.of(), true);
            assertThat(r.isOk()).isTrue();
            assertThat(r.topic().partitionCount()).isEqualTo(4);
            assertThat(f.registry.topic("orders")).isEmpty();
            assertThat(f.disk()).isEmpty();
            f.registry.create("orders", 1, Map.of());
            assertThat(f.registry.addPartitions("orders", 3, true).topic().partitionCount()).isEqualTo(3);
            assertThat(f.registry.alterConfigs("orders", Map.of("retention.ms", "1h"), true).isOk()).isTrue();
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(1);
            assertThat(f.registry.config("orders").orElseThrow().retentionMs()).isEqualTo(604_800_000L);
            assertThat(f.disk()).isEqualTo(dirs("orders", 1));
        }
    }

    @Test
    void internalTopicsAreCreatedByTheBrokerOnlyAndNeverDeleted() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            InternalTopic offsets = InternalTopic.consumerOffsets(f.config);
            TopicResult r = f.registry.ensureInternal(offsets);
            assertThat(r.isOk()).isTrue();
            assertThat(r.topic().partitionCount()).isEqualTo(3);
            assertThat(f.registry.config("__consumer_offsets").orElseThrow().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
            assertThat(f.registry.config("__consumer_offsets").orElseThrow().segmentBytes()).isEqualTo(100 << 20);
            assertThat(f.registry.ensureInternal(offsets).topic()).isEqualTo(r.topic());
            assertThat(f.registry.delete("__consumer_offsets")).satisfies(d -> {
                assertThat(d.error()).isEqualTo(TopicError.RESERVED_TOPIC_NAME);
                assertThat(d.message()).isEqualTo("topic __consumer_offsets is internal and cannot be deleted");
            });
            assertThat(f.registry.addPartitions("__consumer_offsets", 10, false).error()).isEqualTo(TopicError.RESERVED_TOPIC_NAME);
            assertThat(f.disk()).isEqualTo(dirs("__consumer_offsets", 3));
        }
    }

    @Test
    void addPartitionsGrowsOnly() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 2, Map.of());
            Path data = f.writeData("orders", 0, "precious");
            TopicResult r = f.registry.addPartitions("orders", 5, false);
            assertThat(r.isOk()).isTrue();
            assertThat(r.topic().partitionCount()).isEqualTo(5);
            assertThat(r.topic().partitionsPending()).isFalse();
            assertThat(f.disk()).isEqualTo(dirs("orders", 5));
            assertThat(Files.readString(data)).isEqualTo("precious");
            assertThat(f.registry.addPartitions("orders", 5, false)).satisfies(x -> {
                assertThat(x.error()).isEqualTo(TopicError.INVALID_PARTITIONS);
                assertThat(x.message()).isEqualTo("topic orders has 5 partitions; the new count 5 must be larger");
            });
            assertThat(f.registry.addPartitions("nope", 5, false).error()).isEqualTo(TopicError.UNKNOWN_TOPIC);
            assertThat(f.restart().clean()).isTrue();
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(5);
        }
    }

    @Test
    void alterConfigsReplacesOverridesAndTellsStorage() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 1, Map.of("retention.ms", "1d", "segment.bytes", "1MiB"));
            TopicResult r = f.registry.alterConfigs("orders", Map.of("retention.ms", "2d"), false);
            assertThat(r.isOk()).isTrue();
            assertThat(r.topic().overrides().asMap()).containsExactly(Map.entry("retention.ms", "172800000"));
            assertThat(f.registry.config("orders").orElseThrow().segmentBytes()).isEqualTo(1 << 30);
            assertThat(f.lifecycle.configChanges).containsExactly("orders:172800000");
            assertThat(f.registry.alterConfigs("orders", Map.of("retention.ms", "soon"), false).error())
                    .isEqualTo(TopicError.INVALID_CONFIG);
            f.restart();
            assertThat(f.registry.config("orders").orElseThrow().retentionMs()).isEqualTo(172_800_000L);
            assertThat(f.registry.alterConfigs("orders", Map.of(), false).topic().overrides().isEmpty()).isTrue();
            f.restart();
            assertThat(f.registry.liveTopic("orders").orElseThrow().overrides().isEmpty()).isTrue();
            assertThat(f.store.get(Keyspace.CONFIGS, TopicRecordCodec.configKey("orders"))).isNull();
        }
    }

    @Test
    void mutationsBeforeReconcileAreABug() throws Exception {
        try (MetadataStore store = MetadataStore.open(dataDir.resolve("meta"))) {
            TopicRegistry r = TopicRegistry.load(store, io.cairn.broker.config.BrokerConfig.defaults(),
                    new FileSystemPartitionLifecycle(dataDir));
            assertThatThrownBy(() -> r.create("t", 1, Map.of())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before reconcile()");
        }
    }

    @Test
    void aStorageFailureDuringCreateRollsBack() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.lifecycle.failCreateAt(2);
            TopicResult r = f.registry.create("orders", 4, Map.of());
            assertThat(r.error()).isEqualTo(TopicError.STORAGE_ERROR);
            assertThat(r.message()).isEqualTo("topic orders: creating partition 2 failed: No space left on device");
            assertThat(f.registry.topic("orders")).isEmpty();
            assertThat(f.disk()).isEmpty();
            assertThat(f.store.get(Keyspace.TOPICS, TopicRecordCodec.topicKey("orders"))).isNull();
            f.lifecycle.failCreateAt(-1);
            assertThat(f.registry.create("orders", 4, Map.of()).isOk()).isTrue();
        }
    }

    @Test
    void aStorageFailureDuringAddPartitionsRollsBack() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 2, Map.of());
            f.lifecycle.failCreateAt(1);
            TopicResult r = f.registry.addPartitions("orders", 4, false);
            assertThat(r.error()).isEqualTo(TopicError.STORAGE_ERROR);
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(2);
            assertThat(f.disk()).isEqualTo(dirs("orders", 2));
            assertThat(f.restart().clean()).isTrue();
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(2);
        }
    }

    @Test
    void partitionDirScannerSkipsEverythingElse() throws Exception {
        Files.createDirectories(dataDir.resolve("orders-0"));
        Files.createDirectories(dataDir.resolve("orders-1.0a1b-delete"));
        Files.createDirectories(dataDir.resolve("meta"));
        Files.createDirectories(dataDir.resolve("lost+found"));
        Files.writeString(dataDir.resolve("events-0"), "a file, not a directory");
        Files.writeString(dataDir.resolve("recovery-point-offset-checkpoint"), "0\n");
        assertThat(PartitionDirScanner.scan(dataDir)).containsExactly(new TopicPartition("orders", 0));
        assertThat(PartitionDirScanner.scan(dataDir.resolve("absent"))).isEmpty();
    }

    @Test
    void deletingRenamesOutOfTheNamespaceFirst() throws Exception {
        FileSystemPartitionLifecycle fs = new FileSystemPartitionLifecycle(dataDir);
        Files.createDirectories(dataDir.resolve("orders-0").resolve("sub"));
        Files.writeString(dataDir.resolve("orders-0").resolve("sub").resolve("f"), "x");
        fs.deletePartition("orders", 0);
        fs.deletePartition("orders", 0);
        try (var s = Files.list(dataDir)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
