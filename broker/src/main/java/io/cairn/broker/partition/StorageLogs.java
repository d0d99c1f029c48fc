package io.cairn.broker.partition;

import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import io.cairn.storage.TopicPartition;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The partition logs the data path serves, from storage's {@link LogManager}: a partition exists
 * for the data path exactly when the log manager has a log for it. Keeps one
 * {@link StoragePartitionLog} per live log so lookups allocate nothing. Thread-safe.
 */
public final class StorageLogs implements Function<TopicPartition, PartitionLog> {
    private final LogManager manager;
    private final Predicate<String> logAppendTimeTopics;
    private final ConcurrentMap<TopicPartition, StoragePartitionLog> wrappers = new ConcurrentHashMap<>();

    /** Logs whose topics all keep the producers' timestamps (CreateTime). */
    public StorageLogs(LogManager manager) {
        this(manager, topic -> false);
    }

    /** @param logAppendTimeTopics whether a topic's {@code message.timestamp.type} is LogAppendTime */
    public StorageLogs(LogManager manager, Predicate<String> logAppendTimeTopics) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.logAppendTimeTopics = Objects.requireNonNull(logAppendTimeTopics, "logAppendTimeTopics");
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
            wrapper = new StoragePartitionLog(log, manager, logAppendTimeTopics);
            wrappers.put(tp, wrapper);
        }
        return wrapper;
    }
}
