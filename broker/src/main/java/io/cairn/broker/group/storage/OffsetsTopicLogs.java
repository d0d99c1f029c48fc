package io.cairn.broker.group.storage;

import io.cairn.broker.group.runtime.GroupLog;
import io.cairn.broker.group.runtime.GroupLogFactory;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.partition.PartitionLog;
import io.cairn.storage.TopicPartition;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Opens each partition of {@code __consumer_offsets} for its coordinator shard, with the
 * group-offsets view in the metadata store. The topic must exist (the broker creates it at start,
 * {@code TopicRegistry.ensureInternal}). Thread-safe.
 */
public final class OffsetsTopicLogs implements GroupLogFactory {

    private final Function<TopicPartition, PartitionLog> logs;
    private final MetadataStore store;
    private final LongSupplier clockMs;

    /**
     * @param logs    the broker's partition logs (e.g. {@code StorageLogs})
     * @param store   the metadata store holding the views, or null to always load from the log
     * @param clockMs timestamps for the appended records
     */
    public OffsetsTopicLogs(Function<TopicPartition, PartitionLog> logs, MetadataStore store, LongSupplier clockMs) {
        this.logs = logs;
        this.store = store;
        this.clockMs = clockMs;
    }

    @Override
    public GroupLog open(int partition) throws IOException {
        PartitionLog log = logs.apply(new TopicPartition(TopicNames.CONSUMER_OFFSETS, partition));
        if (log == null) {
            throw new IOException("partition " + partition + " of " + TopicNames.CONSUMER_OFFSETS
                    + " has no log; the topic must exist before the group coordinator starts");
        }
        return new OffsetsTopicLog(partition, log, store == null ? null : new GroupStateView(store, partition), clockMs);
    }
}
