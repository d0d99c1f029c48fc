package io.cairn.broker.partition;

import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import io.cairn.storage.TopicPartition;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The partition logs the data path serves, from storage's {@link LogManager}: a partition exists
 * for the data path exactly when the log manager has a log for it. Keeps one
 * {@link StoragePartitionLog} per live log so lookups allocate nothing. Thread-safe.
 */
public final class StorageLogs implements Function<TopicPartition, PartitionLog> {
    private final LogManager manager;
    private final ConcurrentMap<TopicPartition, StoragePartitionLog> wrappers = new ConcurrentHashMap<>();

    public StorageLogs(LogManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** The partition's log, or null if the log manager has none. */
    @Override
    public PartitionLog apply(TopicPartition tp) {
        Log log = manager.log(tp).orElse(null);
        if (log == null) {
            wrappers.remove(tp);
            return null;
        }
        StoragePartitionLog wrapper = wrappers.get(tp);
        if (wrapper == null || wrapper.log() != log) {
            wrapper = new StoragePartitionLog(log, manager);
            wrappers.put(tp, wrapper);
        }
        return wrapper;
    }
}
