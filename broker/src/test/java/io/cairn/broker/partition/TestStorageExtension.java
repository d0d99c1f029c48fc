package io.cairn.broker.partition;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;

/**
 * Opens the storage the data path needs in a test broker (log manager, metadata store, metrics)
 * and makes partitions directly in storage, standing in for the topic admin APIs. Closing it
 * closes storage cleanly; the data path's halt still skips every producer-state snapshot.
 */
final class TestStorageExtension implements BrokerExtension {
    private volatile LogManager logs;
    private volatile MetadataStore metadata;
    private volatile BrokerMetrics metrics;

    @Override
    public void start(BrokerContext context) {
        logs = LogManager.open(context.dataDir(), LogManagerConfig.builder().build());
        metadata = MetadataStore.open(context.dataDir().resolve("meta"));
        metrics = BrokerMetrics.prometheus();
    }

    DataPathExtension.Resources resources() {
        return new DataPathExtension.Resources(logs, metadata, metrics, topic -> topic.startsWith("stamped"));
    }

    void createTopic(String name, int partitions) {
        for (int p = 0; p < partitions; p++) {
            logs.getOrCreateLog(new TopicPartition(name, p), LogConfig.defaults());
        }
    }

    LogManager logs() {
        return logs;
    }

    @Override
    public void close() {
        logs.close();
        metadata.close();
        metrics.close();
    }
}
