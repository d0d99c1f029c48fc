package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicConfig;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The {@link PartitionLifecycle} the broker runs with: partitions are logs of the storage
 * {@link LogManager}. Creating opens an empty log (the manager fsyncs data.dir); deleting hands the
 * log to the manager, which renames its directory out of the partition namespace at once and
 * removes the files after {@code file.delete.delay.ms}; a config change reaches every open log of
 * the topic. Thread-safe (the manager serializes creation and deletion).
 */
public final class StoragePartitionLifecycle implements PartitionLifecycle {

    private final LogManager logs;
    private final FileSystemPartitionLifecycle directories;

    public StoragePartitionLifecycle(LogManager logs) {
        this.logs = logs;
        this.directories = new FileSystemPartitionLifecycle(logs.dataDir());
    }

    @Override
    public void createPartition(TopicMetadata topic, TopicConfig config, int partition) {
        logs.getOrCreateLog(new TopicPartition(topic.name(), partition), config.toLogConfig());
    }

    @Override
    public void deletePartition(String topic, int partition) throws IOException {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (!logs.deleteLog(tp) && Files.exists(logs.dataDir().resolve(tp.dirName()))) {
            // No open log (the partition is offline, say), but its directory is there: it must
            // leave the namespace, or the next start would adopt a deleted topic's data.
            directories.deletePartition(topic, partition);
        }
    }

    @Override
    public void configChanged(TopicMetadata topic, TopicConfig config) {
        LogConfig logConfig = config.toLogConfig();
        for (int p = 0; p < topic.partitionCount(); p++) {
            logs.log(new TopicPartition(topic.name(), p)).ifPresent(log -> log.updateConfig(logConfig));
        }
    }
}
