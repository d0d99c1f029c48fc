package io.cairn.broker.group.runtime;

import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.shard.GroupCoordinatorShard;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One partition of {@code __consumer_offsets} as its coordinator shard uses it: load the state it
 * holds, append the records of each operation, learn when they are durable.
 *
 * <p>Called only from the owning shard's thread, except that the futures returned by
 * {@link #durable} may complete on any thread.
 */
public interface GroupLog extends AutoCloseable {

    /**
     * Replays everything the partition holds into {@code shard} (which starts empty).
     *
     * @return the log end offset after the load
     */
    long load(GroupCoordinatorShard shard) throws IOException;

    /**
     * Appends the records of one operation, as one batch where possible, in order.
     *
     * @return the log end offset after the append (the offset the records are durable at)
     */
    long append(List<GroupRecord> records) throws IOException;

    /** Completes when everything below {@code endOffset} is durable (fsynced); fails when it cannot be. */
    CompletableFuture<Void> durable(long endOffset);

    @Override
    void close() throws IOException;
}
