package io.cairn.broker.partition;

import io.cairn.storage.LogAppendResult;
import io.cairn.storage.LogReadResult;
import io.cairn.storage.TimestampOffset;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the data path needs of one partition's log: storage's {@code Log} plus the flush service
 * that makes its appends durable. {@link StoragePartitionLog} is the real one; tests may supply
 * their own.
 *
 * <p>{@link #append} is called only on the partition's writer lane; everything else may be called
 * from any thread (readers never take the writer's lock).
 */
public interface PartitionLog {

    TopicPartition topicPartition();

    /**
     * Appends one or more whole, validated batches, assigning offsets from {@link #logEndOffset()}
     * by overwriting each batch's baseOffset in place. Writer lane only; may block on the write
     * (never on fsync).
     */
    LogAppendResult append(ByteBuffer batches);

    /**
     * Whole batches from the batch holding {@code fetchOffset}: at most {@code maxBytes} unless the
     * first batch alone is larger (then that batch), none at or past {@code maxOffsetExclusive};
     * with the log's offsets as of the read, and whether {@code fetchOffset} was out of range.
     */
    LogReadResult read(long fetchOffset, int maxBytes, long maxOffsetExclusive);

    long logStartOffset();

    /** The offset the next appended record will get. */
    long logEndOffset();

    /** Offsets below this are visible to consumers. */
    long highWatermark();

    /** Advances the high watermark to {@code offset} (clamped to the log end). */
    void updateHighWatermark(long offset);

    /** The topic's {@code max.message.bytes}: the largest batch append accepts. */
    int maxMessageBytes();

    /** True if the topic's {@code message.timestamp.type} is LogAppendTime: batches are stamped with the broker's clock. */
    boolean logAppendTime();

    /** The first record below the high watermark with a timestamp at or after {@code timestampMs}. */
    Optional<TimestampOffset> offsetForTimestamp(long timestampMs);

    /** Completes once every record up to and including {@code offset} is forced to disk. */
    CompletableFuture<Void> flushedThrough(long offset);
}
