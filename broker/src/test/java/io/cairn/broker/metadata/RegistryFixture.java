package io.cairn.broker.metadata;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A data.dir with a metadata store and a registry that tests can "restart" (close and reopen). */
final class RegistryFixture implements AutoCloseable {

    final Path dataDir;
    final BrokerConfig config;
    MetadataStore store;
    TopicRegistry registry;
    ScriptedLifecycle lifecycle;
    ReconcileReport lastReport;

    RegistryFixture(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.config = BrokerConfig.of(Map.of("data.dir", dataDir.toString(), "offsets.topic.num.partitions", "3"));
        start();
    }

    void start() throws IOException {
        store = MetadataStore.open(config.metaDir());
        lifecycle = new ScriptedLifecycle(dataDir);
        registry = TopicRegistry.load(store, config, lifecycle);
        lastReport = registry.reconcile(PartitionDirScanner.scan(dataDir), internalTopics());
    }

    List<InternalTopic> internalTopics() {
        return List.of(InternalTopic.consumerOffsets(config));
    }

    /** Close and reopen everything, as after a crash or restart. */
    ReconcileReport restart() throws IOException {
        store.close();
        start();
        return lastReport;
    }

    /** The partition directories on disk, as a plain set (compared by equals, in any order). */
    Set<TopicPartition> disk() throws IOException {
        return new HashSet<>(PartitionDirScanner.scan(dataDir));
    }

    Path dir(String topic, int partition) {
        return dataDir.resolve(topic + "-" + partition);
    }

    /** Writes a file into a partition directory, standing for its log data. */
    Path writeData(String topic, int partition, String text) throws IOException {
        Path dir = dir(topic, partition);
        Files.createDirectories(dir);
        Path f = dir.resolve("00000000000000000000.log");
        Files.writeString(f, text);
        return f;
    }

    @Override
    public void close() {
        store.close();
    }
}
