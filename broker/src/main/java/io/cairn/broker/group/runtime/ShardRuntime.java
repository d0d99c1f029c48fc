package io.cairn.broker.group.runtime;

import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.shard.CoordinatorResult;
import io.cairn.broker.group.shard.GroupCoordinatorShard;
import io.cairn.broker.group.shard.TopicsImage;
import io.cairn.protocol.wire.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs one coordinator shard: all its operations execute one at a time on the shard's executor
 * (a single thread, possibly shared with other shards), their records are appended to the shard's
 * {@link GroupLog}, and their answers are handed out only once the log is durable up to the
 * records written so far — by this operation or any before it — so no answer ever reflects state
 * a crash could lose.
 *
 * <p>Lifecycle: LOADING (operations answer COORDINATOR_LOAD_IN_PROGRESS) → ACTIVE → CLOSED, or
 * FAILED when the log cannot be written (operations answer COORDINATOR_NOT_AVAILABLE). An
 * operation that throws (a bug) leaves the in-memory state suspect, so the shard reloads from
 * its log, which holds exactly the records of the operations that completed.
 *
 * <p>Fields other than {@link #status} are confined to the executor's thread. Futures complete on
 * the executor's thread or on the log's flush thread; callers must not block in callbacks.
 */
public final class ShardRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ShardRuntime.class);

    /** Where the shard is in its life. */
    public enum Status { LOADING, ACTIVE, FAILED, CLOSED }

    /** An operation on the shard, run on its thread at time {@code nowMs}. */
    @FunctionalInterface
    public interface ShardOperation<T> {
        CoordinatorResult<T> run(GroupCoordinatorShard shard, long nowMs);
    }

    private final int partition;
    private final GroupCoordinatorConfig config;
    private final Executor executor;
    private final GroupLogFactory logs;
    private final LongSupplier clock;
    private final Supplier<String> memberIds;

    private volatile Status status = Status.LOADING;
    private GroupCoordinatorShard shard;
    private GroupLog log;
    private long endOffset;
    private long durableOffset;
    private TopicsImage topics = TopicsImage.EMPTY;
    /** The topic picture the shard was loaded against, so deletions during the load are noticed. */
    private TopicsImage loadedAgainst = TopicsImage.EMPTY;

    ShardRuntime(int partition, GroupCoordinatorConfig config, Executor executor, GroupLogFactory logs,
                 LongSupplier clock, Supplier<String> memberIds) {
        this.partition = partition;
        this.config = config;
        this.executor = executor;
        this.logs = logs;
        this.clock = clock;
        this.memberIds = memberIds;
    }

    public int partition() {
        return partition;
    }

    public Status status() {
        return status;
    }

    /**
     * Opens the log and loads the shard from it on {@code loader} (so the shard's thread keeps
     * answering COORDINATOR_LOAD_IN_PROGRESS meanwhile), then activates it on the shard's thread
     * with the latest topic picture, starting from {@code initialTopics}.
     */
    CompletableFuture<Void> load(TopicsImage initialTopics, Executor loader) {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        Runnable rejected = () -> loaded.completeExceptionally(new IllegalStateException("coordinator closed"));
        submit(() -> {
            topics = initialTopics;
            loadedAgainst = initialTopics;
        }, rejected);
        try {
            loader.execute(() -> {
                try {
                    long startNs = System.nanoTime();
                    GroupLog opened = logs.open(partition);
                    GroupCoordinatorShard fresh = new GroupCoordinatorShard(partition, config, memberIds);
                    long end = opened.load(fresh);
                    long loadMs = (System.nanoTime() - startNs) / 1_000_000;
                    submit(() -> activate(opened, fresh, end, loadMs, loaded), rejected);
                } catch (IOException | RuntimeException e) {
                    status = Status.FAILED;
                    LOG.error("partition={} of __consumer_offsets failed to load; its groups are unavailable",
                            partition, e);
                    loaded.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.run();
        }
        return loaded;
    }

    private void activate(GroupLog opened, GroupCoordinatorShard fresh, long end, long loadMs,
                          CompletableFuture<Void> loaded) {
        if (status == Status.CLOSED) {
            closeQuietly(opened);
            loaded.completeExceptionally(new IllegalStateException("coordinator closed while loading"));
            return;
        }
        log = opened;
        try {
            install(fresh, end);
            LOG.info("partition={} of __consumer_offsets loaded: groups={} endOffset={} in {} ms", partition,
                    fresh.groups().size(), endOffset, loadMs);
            loaded.complete(null);
        } catch (IOException | RuntimeException e) {
            fail("activating after load failed", e);
            loaded.completeExceptionally(e);
        }
    }

    /** Makes a loaded shard the live one: catches it up with the topics, arms its timers. */
    private void install(GroupCoordinatorShard fresh, long end) throws IOException {
        shard = fresh;
        endOffset = end;
        durableOffset = end;
        appendAll(shard.updateTopics(loadedAgainst, clock.getAsLong()).records());
        if (!topics.equals(loadedAgainst)) {
            appendAll(shard.updateTopics(topics, clock.getAsLong()).records());
        }
        loadedAgainst = topics;
        appendAll(shard.onLoaded(clock.getAsLong()).records());
        status = Status.ACTIVE;
    }

    /**
     * Runs a state-changing operation; {@code unavailable} turns a coordinator error into the
     * operation's answer type.
     */
    public <T> CompletableFuture<T> write(ShardOperation<T> operation, Function<ErrorCode, T> unavailable) {
        CompletableFuture<T> future = new CompletableFuture<>();
        submit(() -> runWrite(operation, unavailable, future),
                () -> future.complete(unavailable.apply(ErrorCode.COORDINATOR_NOT_AVAILABLE)));
        return future;
    }

    /** Runs a read; it is answered once everything written before it is durable. */
    public <T> CompletableFuture<T> read(Function<GroupCoordinatorShard, T> operation,
                                         Function<ErrorCode, T> unavailable) {
        return write((target, nowMs) -> CoordinatorResult.of(operation.apply(target)), unavailable);
    }

    /** Runs the shard's due deadlines (session and rebalance timeouts); called periodically. */
    void tick() {
        submit(() -> {
            if (status == Status.ACTIVE && shard.nextDeadlineMs() <= clock.getAsLong()) {
                runWrite((target, nowMs) -> target.tick(nowMs), error -> null, new CompletableFuture<>());
            }
        }, () -> { });
    }

    /** Hands the shard a new picture of the topics. */
    CompletableFuture<Void> updateTopics(TopicsImage image) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> {
            topics = image;
            if (status == Status.ACTIVE) {
                runWrite((target, nowMs) -> target.updateTopics(image, nowMs), error -> null, done);
            } else {
                done.complete(null);
            }
        }, () -> done.complete(null));
        return done;
    }

    CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        submit(() -> {
            status = Status.CLOSED;
            if (log != null) {
                closeQuietly(log);
            }
            closed.complete(null);
        }, () -> closed.complete(null));
        return closed;
    }

    private <T> void runWrite(ShardOperation<T> operation, Function<ErrorCode, T> unavailable,
                              CompletableFuture<T> future) {
        if (status != Status.ACTIVE) {
            future.complete(unavailable.apply(status == Status.LOADING
                    ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        CoordinatorResult<T> result;
        try {
            result = operation.run(shard, clock.getAsLong());
        } catch (RuntimeException e) {
            LOG.error("partition={} of __consumer_offsets: operation failed; reloading the shard from its log",
                    partition, e);
            future.complete(unavailable.apply(ErrorCode.UNKNOWN_SERVER_ERROR));
            reload();
            return;
        }
        try {
            appendAll(result.records());
        } catch (IOException | RuntimeException e) {
            fail("appending " + result.records().size() + " records failed", e);
            future.complete(unavailable.apply(ErrorCode.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        long waitFor = endOffset;
        if (waitFor <= durableOffset) {
            future.complete(result.response());
            return;
        }
        log.durable(waitFor).whenComplete((ignored, error) -> {
            if (error == null) {
                submit(() -> durableOffset = Math.max(durableOffset, waitFor), () -> { });
                future.complete(result.response());
            } else {
                future.complete(unavailable.apply(ErrorCode.COORDINATOR_NOT_AVAILABLE));
                submit(() -> fail("flushing up to offset " + waitFor + " failed", error), () -> { });
            }
        });
    }

    private void appendAll(List<GroupRecord> records) throws IOException {
        if (!records.isEmpty()) {
            endOffset = log.append(records);
        }
    }

    /** Rebuilds the shard from its log on the shard's thread (after an operation threw). */
    private void reload() {
        status = Status.LOADING;
        try {
            GroupCoordinatorShard fresh = new GroupCoordinatorShard(partition, config, memberIds);
            install(fresh, log.load(fresh));
        } catch (IOException | RuntimeException e) {
            fail("reloading failed", e);
        }
    }

    private void closeQuietly(GroupLog toClose) {
        try {
            toClose.close();
        } catch (IOException e) {
            LOG.warn("partition={} of __consumer_offsets: closing its log failed", partition, e);
        }
    }

    private void fail(String what, Throwable cause) {
        if (status != Status.CLOSED) {
            status = Status.FAILED;
            LOG.error("partition={} of __consumer_offsets: {}; its groups are unavailable until restart",
                    partition, what, cause);
        }
    }

    private void submit(Runnable task, Runnable onRejected) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            onRejected.run();
        }
    }
}
