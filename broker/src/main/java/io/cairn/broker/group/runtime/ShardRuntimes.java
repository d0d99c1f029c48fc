package io.cairn.broker.group.runtime;

import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.shard.TopicsImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The coordinator's threads and the shards they run: {@code group.coordinator.threads}
 * single-threaded executors, shard {@code p} on executor {@code p % threads}, each executor also
 * ticking its shards' deadlines every {@value #TICK_INTERVAL_MS} ms; one more thread loads
 * partitions of {@code __consumer_offsets}. Thread-safe.
 */
public final class ShardRuntimes {

    private static final Logger LOG = LoggerFactory.getLogger(ShardRuntimes.class);

    /** How often due session and rebalance deadlines are looked for. */
    static final long TICK_INTERVAL_MS = 100;

    private final GroupCoordinatorConfig config;
    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private final List<ShardRuntime> shards = new ArrayList<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "group-coordinator-loader");
        thread.setDaemon(true);
        return thread;
    });

    public ShardRuntimes(GroupCoordinatorConfig config, GroupLogFactory logs, LongSupplier clockMs,
                         Supplier<String> memberIds) {
        this.config = config;
        AtomicInteger threadIndex = new AtomicInteger();
        for (int i = 0; i < config.threads(); i++) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "group-coordinator-" + threadIndex.getAndIncrement());
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executors.add(executor);
        }
        for (int partition = 0; partition < config.offsetsTopicPartitions(); partition++) {
            shards.add(new ShardRuntime(partition, config, executors.get(partition % executors.size()), logs,
                    clockMs, memberIds));
        }
    }

    /** Loads every shard and starts ticking; completes when all are loaded. */
    public CompletableFuture<Void> start(TopicsImage topics) {
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (ShardRuntime shard : shards) {
            loads.add(shard.load(topics, loader));
        }
        for (int i = 0; i < executors.size(); i++) {
            int executorIndex = i;
            executors.get(i).scheduleWithFixedDelay(() -> {
                for (int p = executorIndex; p < shards.size(); p += executors.size()) {
                    shards.get(p).tick();
                }
            }, TICK_INTERVAL_MS, TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
        return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    }

    public CompletableFuture<Void> updateTopics(TopicsImage topics) {
        List<CompletableFuture<Void>> updates = new ArrayList<>();
        for (ShardRuntime shard : shards) {
            updates.add(shard.updateTopics(topics));
        }
        return CompletableFuture.allOf(updates.toArray(new CompletableFuture<?>[0]));
    }

    /** The shard coordinating {@code groupId}. */
    public ShardRuntime forGroup(String groupId) {
        return shards.get(config.partitionFor(groupId));
    }

    public ShardRuntime shard(int partition) {
        return shards.get(partition);
    }

    public List<ShardRuntime> all() {
        return List.copyOf(shards);
    }

    /** Closes every shard after its queued operations, then stops the threads. */
    public void close() {
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (ShardRuntime shard : shards) {
            closes.add(shard.close());
        }
        try {
            CompletableFuture.allOf(closes.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("group coordinator shards did not close within 30 s", e);
        }
        loader.shutdownNow();
        for (ScheduledExecutorService executor : executors) {
            executor.shutdownNow();
        }
        for (ExecutorService executor : executors) {
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("a group coordinator thread did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
