package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry driving a real storage LogManager, wired as the broker wires it. */
class StoragePartitionLifecycleTest {

    @TempDir
    Path dataDir;

    private final BrokerConfig config() {
        return BrokerConfig.of(Map.of("data.dir", dataDir.toString()));
    }

    @Test
    void topicsBecomeLogsAndConfigChangesReachThem() throws Exception {
        BrokerConfig config = config();
        try (MetadataStore store = MetadataStore.open(config.metaDir())) {
            TopicRegistry[] holder = new TopicRegistry[1];
            try (LogManager logs = LogManager.open(dataDir, LogManagerConfig.builder()
                    .topicConfigs(topic -> holder[0].config(topic).map(c -> c.toLogConfig()).orElse(null)).build())) {
                TopicRegistry registry = TopicRegistry.load(store, config, new StoragePartitionLifecycle(logs));
                holder[0] = registry;
                registry.reconcile(PartitionDirScanner.scan(dataDir), List.of(InternalTopic.consumerOffsets(config)));

                assertThat(registry.create("orders", 2, Map.of("segment.bytes", "1MiB")).isOk()).isTrue();
                Log log = logs.log(new TopicPartition("orders", 1)).orElseThrow();
                assertThat(log.config().segmentBytes()).isEqualTo(1 << 20);

                assertThat(registry.alterConfigs("orders", Map.of("retention.ms", "1h"), false).isOk()).isTrue();
                assertThat(log.config().retentionMs()).isEqualTo(3_600_000L);
                assertThat(log.config().segmentBytes()).isEqualTo(1 << 30);

                assertThat(registry.ensureInternal(InternalTopic.consumerOffsets(config)).isOk()).isTrue();
                assertThat(logs.log(new TopicPartition("__consumer_offsets", 0)).orElseThrow().config().cleanupPolicy().compacts())
                        .isTrue();

                assertThat(registry.delete("orders").isOk()).isTrue();
                assertThat(logs.log(new TopicPartition("orders", 0))).isEmpty();
                assertThat(PartitionDirScanner.scan(dataDir)).doesNotContain(new TopicPartition("orders", 0));
            }
            // Restart: storage opens the logs with the registry's configs, reconcile finds nothing to do.
            TopicRegistry registry = TopicRegistry.load(store, config, new FileSystemPartitionLifecycle(dataDir));
            try (LogManager logs = LogManager.open(dataDir, LogManagerConfig.builder()
                    .topicConfigs(topic -> registry.config(topic).map(c -> c.toLogConfig()).orElse(null)).build())) {
                assertThat(registry.reconcile(PartitionDirScanner.scan(dataDir), List.of()).clean()).isTrue();
                assertThat(logs.log(new TopicPartition("__consumer_offsets", 2)).orElseThrow().config().cleanupPolicy().compacts())
                        .isTrue();
            }
        }
    }

    @Test
    void aPartitionWithoutAnOpenLogStillLeavesTheNamespaceWhenDeleted() throws Exception {
        try (LogManager logs = LogManager.open(dataDir, LogManagerConfig.builder().build())) {
            Files.createDirectories(dataDir.resolve("ghost-0"));
            StoragePartitionLifecycle lifecycle = new StoragePartitionLifecycle(logs);
            lifecycle.deletePartition("ghost", 0);
            lifecycle.deletePartition("ghost", 0);
            assertThat(PartitionDirScanner.scan(dataDir)).isEmpty();
        }
    }
}
