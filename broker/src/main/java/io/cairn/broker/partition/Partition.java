package io.cairn.broker.partition;

import io.cairn.broker.producer.ProducerStateLoader;
import io.cairn.broker.producer.ProducerStateManager;
import io.cairn.broker.producer.ProducerStateStore;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.storage.TopicPartition;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * One partition as the data path sees it: its log, the writer lane that owns it, and the
 * idempotent-producer state kept beside the log.
 *
 * <p>The log and the waiters may be used from any thread. Producer state and {@link #writerBatchView()} belong to
 * the writer lane: touch them only from tasks run on {@link #writer()}.
 */
public final class Partition {
    private final PartitionLog log;
    private final Executor writer;
    private final ProducerStateLoader loader;
    private final ProducerStateStore store;
    private final RecordBatch writerBatchView = new RecordBatch();
    private ProducerStateManager producerState;
    private final Set<AppendWaiter> waiters = ConcurrentHashMap.newKeySet();

    public Partition(PartitionLog log, Executor writer, ProducerStateLoader loader, ProducerStateStore store) {
        this.log = Objects.requireNonNull(log, "log");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.store = Objects.requireNonNull(store, "store");
    }

    public TopicPartition topicPartition() {
        return log.topicPartition();
    }

    public PartitionLog log() {
        return log;
    }

    /** The lane all writes to this partition run on, in submission order. */
    public Executor writer() {
        return writer;
    }

    /** Producer state, loaded on first use (snapshot + replay). Writer lane only. */
    public ProducerStateManager producerState(long nowMs) {
        if (producerState == null) {
            producerState = loader.load(log, nowMs);
        }
        return producerState;
    }

    /** A flyweight for reading batch headers on the writer lane. */
    public RecordBatch writerBatchView() {
        return writerBatchView;
    }

    /**
     * Expires idle producers and stores a snapshot as of the current log end. Writer lane only;
     * does nothing if the state was never loaded (then the stored snapshot is still current).
     */
    public void checkpointProducerState(long nowMs, long expirationMs) {
        if (producerState == null) {
            return;
        }
        producerState.removeExpired(nowMs, expirationMs);
        TopicPartition tp = log.topicPartition();
        store.save(tp.topic(), tp.partition(), producerState.snapshot(log.logEndOffset()));
    }

    /** Parks {@code waiter} until the next append to this partition (or until it is removed). */
    public void addWaiter(AppendWaiter waiter) {
        waiters.add(waiter);
    }

    public void removeWaiter(AppendWaiter waiter) {
        waiters.remove(waiter);
    }

    /** How many waiters are parked here now. */
    public int waiterCount() {
        return waiters.size();
    }

    /**
     * Wakes every parked waiter; called by the writer after an append has moved the high
     * watermark (so a woken reader sees the new records).
     */
    public void wakeWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        for (AppendWaiter waiter : waiters) {
            waiter.onAppend();
        }
    }

    @Override
    public String toString() {
        return "Partition(" + log.topicPartition() + ")";
    }
}
