package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicConfig;
import io.cairn.broker.metrics.PartitionLogGauges;
import io.cairn.storage.TopicPartition;
import java.io.IOException;

/**
 * A {@link PartitionLifecycle} that keeps the per-partition log gauges in step with the
 * partitions: a partition's gauges are registered once its log exists and removed once it is
 * deleted. Everything else is the wrapped lifecycle's. Thread-safe if the wrapped one is.
 */
public final class MeteredPartitionLifecycle implements PartitionLifecycle {
    private final PartitionLifecycle target;
    private final PartitionLogGauges gauges;

    public MeteredPartitionLifecycle(PartitionLifecycle target, PartitionLogGauges gauges) {
        this.target = target;
        this.gauges = gauges;
    }

    @Override
    public void createPartition(TopicMetadata topic, TopicConfig config, int partition) throws IOException {
        target.createPartition(topic, config, partition);
        gauges.register(new TopicPartition(topic.name(), partition));
    }

    @Override
    public void deletePartition(String topic, int partition) throws IOException {
        // Unregistered first: a scrape between the two steps would only see the gauge read 0.
        gauges.unregister(new TopicPartition(topic, partition));
        target.deletePartition(topic, partition);
    }

    @Override
    public void configChanged(TopicMetadata topic, TopicConfig config) {
        target.configChanged(topic, config);
    }
}
