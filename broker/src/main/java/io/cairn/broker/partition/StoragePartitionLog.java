package io.cairn.broker.partition;

import io.cairn.storage.Log;
import io.cairn.storage.LogAppendResult;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogReadResult;
import io.cairn.storage.TimestampOffset;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A storage {@link Log} as the data path sees it, with durability through the log manager's
 * flush service (group commit). Equal to another only if both wrap the same {@code Log}
 * instance, so a log replaced by a new one (topic deleted and made again) is told apart.
 *
 * <p>Thread-safe as {@code Log} is: appends come only from the partition's writer lane.
 */
public final class StoragePartitionLog implements PartitionLog {
    /** Leader epoch stamped on appended batches: a single broker leads every partition from epoch 0. */
    public static final int LEADER_EPOCH = 0;

    private final Log log;
    private final LogManager manager;
    private final Predicate<String> logAppendTimeTopics;

    /** @param logAppendTimeTopics whether a topic's {@code message.timestamp.type} is LogAppendTime (read per append) */
    public StoragePartitionLog(Log log, LogManager manager, Predicate<String> logAppendTimeTopics) {
        this.log = Objects.requireNonNull(log, "log");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.logAppendTimeTopics = Objects.requireNonNull(logAppendTimeTopics, "logAppendTimeTopics");
    }

    public Log log() {
        return log;
    }

    @Override
    public TopicPartition topicPartition() {
        return log.topicPartition();
    }

    @Override
    public LogAppendResult append(ByteBuffer batches) {
        return log.append(batches, LEADER_EPOCH);
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, long maxOffsetExclusive) {
        return log.read(fetchOffset, maxBytes, maxOffsetExclusive);
    }

    @Override
    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return log.logEndOffset();
    }

    @Override
    public long highWatermark() {
        return log.highWatermark();
    }

    @Override
    public void updateHighWatermark(long offset) {
        log.updateHighWatermark(offset);
    }

    @Override
    public int maxMessageBytes() {
        return log.config().maxMessageBytes();
    }

    @Override
    public boolean logAppendTime() {
        return logAppendTimeTopics.test(log.topicPartition().topic());
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        return log.offsetForTimestamp(timestampMs);
    }

    @Override
    public CompletableFuture<Void> flushedThrough(long offset) {
        return manager.flushAsync(log, offset + 1).thenApply(recoveryPoint -> null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoragePartitionLog other && other.log == log;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(log);
    }

    @Override
    public String toString() {
        return "StoragePartitionLog(" + log.topicPartition() + ")";
    }
}
