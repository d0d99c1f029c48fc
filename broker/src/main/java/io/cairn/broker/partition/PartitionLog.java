package io.cairn.broker.partition;

import io.cairn.protocol.FileSlice;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * What the data path needs of one partition's log. {@link StorageLogs} adapts storage's logs to
 * it; tests may supply their own.
 *
 * <p>{@link #append} is called only on the partition's writer thread; everything else may be
 * called from any thread (readers never take the writer's lock).
 */
public interface PartitionLog {

    TopicPartition topicPartition();

    /**
     * Appends one or more whole, validated batches, assigning offsets from {@link #logEndOffset()}
     * by overwriting each batch's baseOffset in place. Writer thread only.
     *
     * @return the offset assigned to the first record
     */
    long append(ByteBuffer batches);

    /**
     * Whole batches starting at the batch that holds {@code fetchOffset}, at most {@code maxBytes}
     * of them unless the first batch alone is larger (then just that batch), and none at or past
     * {@code maxOffset}. An empty slice ({@code length == 0}) or null when there is nothing.
     */
    FileSlice read(long fetchOffset, int maxBytes, long maxOffset);

    long logStartOffset();

    /** The topic's {@code max.message.bytes}: the largest batch append accepts. */
    int maxMessageBytes();

    /** The offset the next appended record will get. */
    long logEndOffset();

    /** Offsets below this are visible to consumers. */
    long highWatermark();

    /** Advances the high watermark (never moves it back). */
    void updateHighWatermark(long highWatermark);

    /** The first offset whose record timestamp is at or after {@code timestampMs}, or -1 if none. */
    long offsetForTimestamp(long timestampMs);

    /** Completes once every byte up to and including {@code offset} is forced to disk. */
    CompletableFuture<Void> flushedThrough(long offset);
}
