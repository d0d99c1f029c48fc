package io.cairn.broker.partition;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.metadata.TopicResult;
import io.cairn.storage.LogManager;
import java.util.Map;

/**
 * Hands the data path the broker's own storage (log manager, metadata store, metrics) and creates
 * topics through the broker's topic registry. The broker opens and closes storage; a crash
 * abandons it without a clean shutdown.
 */
final class TestStorageExtension implements BrokerExtension {
    private volatile LogManager logs;
    private volatile MetadataStore metadata;
    private volatile BrokerMetrics metrics;
    private volatile TopicRegistry topics;

    @Override
    public void start(BrokerContext context) {
        logs = context.logManager();
        metadata = context.metadataStore();
        metrics = context.metrics();
        topics = context.topics();
    }

    DataPathExtension.Resources resources() {
        return new DataPathExtension.Resources(logs, metadata, metrics, topic -> topic.startsWith("stamped"));
    }

    void createTopic(String name, int partitions) {
        TopicResult result = topics.create(name, partitions, Map.of());
        if (!result.isOk()) {
            throw new IllegalStateException("creating topic " + name + ": " + result.error() + " " + result.message());
        }
    }

    LogManager logs() {
        return logs;
    }

    @Override
    public void close() {
        // the broker closes storage
    }
}
