package io.cairn.broker;

import io.cairn.broker.config.TopicConfig;
import io.cairn.broker.metadata.PartitionLifecycle;
import io.cairn.broker.metadata.TopicMetadata;
import java.io.IOException;

/**
 * Breaks the start-up cycle between the topic registry and the log manager: the registry must be
 * loaded before the log manager opens (logs open with their topic's config), yet its partition
 * lifecycle is the log manager. The registry gets this forwarder, which is bound to the real
 * lifecycle before the registry first calls it (at reconcile). Bound once, from the start-up
 * thread; read by whichever thread the registry runs on.
 */
final class DeferredPartitionLifecycle implements PartitionLifecycle {
    private volatile PartitionLifecycle target;

    void bind(PartitionLifecycle lifecycle) {
        if (target != null) {
            throw new IllegalStateException("partition lifecycle bound twice");
        }
        target = lifecycle;
    }

    private PartitionLifecycle target() {
        PartitionLifecycle t = target;
        if (t == null) {
            throw new IllegalStateException("the topic registry used partition logs before the log manager was open");
        }
        return t;
    }

    @Override
    public void createPartition(TopicMetadata topic, TopicConfig config, int partition) throws IOException {
        target().createPartition(topic, config, partition);
    }

    @Override
    public void deletePartition(String topic, int partition) throws IOException {
        target().deletePartition(topic, partition);
    }

    @Override
    public void configChanged(TopicMetadata topic, TopicConfig config) {
        target().configChanged(topic, config);
    }
}
