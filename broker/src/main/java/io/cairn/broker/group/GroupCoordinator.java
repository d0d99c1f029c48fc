package io.cairn.broker.group;

import io.cairn.broker.group.runtime.GroupLogFactory;
import io.cairn.broker.group.runtime.ShardRuntimes;
import io.cairn.broker.group.shard.CoordinatorResult;
import io.cairn.broker.group.shard.TopicsImage;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The consumer-group coordinator of a broker: the service the ConsumerGroupHeartbeat, OffsetCommit,
 * OffsetFetch, ListGroups, DescribeGroups, DeleteGroups and FindCoordinator handlers call. Domain
 * requests in, futures of domain results out; expected failures are {@link ErrorCode} values in
 * the results, never exceptional futures.
 *
 * <p>Each group lives in one partition of {@code __consumer_offsets} ({@link #partitionFor}); each
 * partition has a coordinator shard run by one thread, so all changes to a group are serialized
 * without locks. Answers are handed out only once the records behind them are durable.
 *
 * <p>Thread-safe: any thread may call any method. Futures complete on coordinator or flush
 * threads; callers must not block in callbacks.
 */
public final class GroupCoordinator implements AutoCloseable {

    private final GroupCoordinatorConfig config;
    private final ShardRuntimes shards;

    /**
     * @param config  coordinator settings
     * @param logs    opens the log of each partition of {@code __consumer_offsets}
     * @param clockMs the wall clock in milliseconds (injectable for tests)
     */
    public GroupCoordinator(GroupCoordinatorConfig config, GroupLogFactory logs, LongSupplier clockMs) {
        this(config, logs, clockMs, () -> UUID.randomUUID().toString());
    }

    public GroupCoordinator(GroupCoordinatorConfig config, GroupLogFactory logs, LongSupplier clockMs,
                            Supplier<String> memberIds) {
        this.config = config;
        this.shards = new ShardRuntimes(config, logs, clockMs, memberIds);
    }

    /**
     * Loads every partition of {@code __consumer_offsets} in the background and starts the timers.
     * Until a partition is loaded its groups answer COORDINATOR_LOAD_IN_PROGRESS.
     *
     * @param topicPartitionCounts the broker's topics (name → partition count) at start
     * @return completes when every partition is loaded (exceptionally if one failed to load)
     */
    public CompletableFuture<Void> start(Map<String, Integer> topicPartitionCounts) {
        return shards.start(TopicsImage.of(topicPartitionCounts));
    }

    /**
     * Tells the coordinator the broker's topics changed (created, deleted, partitions added).
     * Groups subscribed to changed topics are reassigned; offsets of deleted topics are deleted.
     */
    public CompletableFuture<Void> updateTopics(Map<String, Integer> topicPartitionCounts) {
        return shards.updateTopics(TopicsImage.of(topicPartitionCounts));
    }

    /** The partition of {@code __consumer_offsets} that coordinates {@code groupId} (FindCoordinator). */
    public int partitionFor(String groupId) {
        return config.partitionFor(groupId);
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    public CompletableFuture<HeartbeatResult> heartbeat(HeartbeatRequest request) {
        return shards.forGroup(request.groupId()).write((shard, nowMs) -> shard.heartbeat(request, nowMs),
                error -> HeartbeatResult.error(error, error.defaultMessage()));
    }

    public CompletableFuture<OffsetCommitResult> commitOffsets(OffsetCommitRequest request) {
        return shards.forGroup(request.groupId()).write(
                (shard, nowMs) -> shard.commitOffsets(request, nowMs),
                error -> {
                    Map<TopicPartition, ErrorCode> errors = new LinkedHashMap<>();
                    request.offsets().forEach(offset -> errors.put(offset.partition(), error));
                    return new OffsetCommitResult(errors);
                });
    }

    public CompletableFuture<OffsetFetchResult> fetchOffsets(OffsetFetchRequest request) {
        return shards.forGroup(request.groupId()).read(shard -> shard.fetchOffsets(request), OffsetFetchResult::error);
    }

    /** Groups whose state is in {@code states} (all groups when empty), in group-id order. */
    public CompletableFuture<ListGroupsResult> listGroups(Set<GroupState> states) {
        List<CompletableFuture<ListGroupsResult>> perShard = new ArrayList<>();
        shards.all().forEach(runtime -> perShard.add(runtime.read(
                shard -> new ListGroupsResult(ErrorCode.NONE, shard.listGroups(states)),
                error -> new ListGroupsResult(error, List.of()))));
        return CompletableFuture.allOf(perShard.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            ErrorCode error = ErrorCode.NONE;
            List<GroupListing> groups = new ArrayList<>();
            for (CompletableFuture<ListGroupsResult> future : perShard) {
                ListGroupsResult result = future.join();
                groups.addAll(result.groups());
                if (result.error() != ErrorCode.NONE) {
                    error = result.error();
                }
            }
            groups.sort((a, b) -> a.groupId().compareTo(b.groupId()));
            return new ListGroupsResult(error, groups);
        });
    }

    /** Describes each group, in request order. */
    public CompletableFuture<List<GroupDescription>> describeGroups(List<String> groupIds) {
        List<CompletableFuture<GroupDescription>> perGroup = new ArrayList<>();
        for (String groupId : groupIds) {
            if (groupId == null || groupId.isEmpty()) {
                perGroup.add(CompletableFuture.completedFuture(
                        GroupDescription.notFound(groupId, ErrorCode.INVALID_GROUP_ID)));
            } else {
                perGroup.add(shards.forGroup(groupId).read(shard -> shard.describeGroup(groupId),
                        error -> GroupDescription.notFound(groupId, error)));
            }
        }
        return CompletableFuture.allOf(perGroup.toArray(new CompletableFuture<?>[0]))
                .thenApply(ignored -> perGroup.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Deletes each group: NONE, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP (it has members) or
     * INVALID_GROUP_ID, in request order.
     */
    public CompletableFuture<Map<String, ErrorCode>> deleteGroups(List<String> groupIds) {
        Map<String, CompletableFuture<ErrorCode>> perGroup = new LinkedHashMap<>();
        for (String requested : groupIds) {
            String groupId = requested == null ? "" : requested;
            if (groupId.isEmpty()) {
                perGroup.put(groupId, CompletableFuture.completedFuture(ErrorCode.INVALID_GROUP_ID));
            } else {
                perGroup.put(groupId, shards.forGroup(groupId).write(
                        (shard, nowMs) -> {
                            var result = shard.deleteGroups(List.of(groupId));
                            return new CoordinatorResult<>(result.records(),
                                    result.response().get(groupId));
                        },
                        error -> error));
            }
        }
        return CompletableFuture.allOf(perGroup.values().toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            Map<String, ErrorCode> results = new LinkedHashMap<>();
            perGroup.forEach((groupId, future) -> results.put(groupId, future.join()));
            return results;
        });
    }

    /**
     * The committed offset of every partition of every group of the loaded shards (groups of a
     * shard still loading are missing): group id → partition → offset. For lag metrics.
     */
    public CompletableFuture<Map<String, Map<TopicPartition, Long>>> committedOffsets() {
        List<CompletableFuture<Map<String, Map<TopicPartition, Long>>>> perShard = new ArrayList<>();
        shards.all().forEach(runtime -> perShard.add(runtime.read(shard -> {
            Map<String, Map<TopicPartition, Long>> out = new HashMap<>();
            shard.groups().forEach(group -> {
                if (!group.offsets().isEmpty()) {
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    group.offsets().forEach((partition, value) -> offsets.put(partition, value.offset()));
                    out.put(group.groupId(), offsets);
                }
            });
            return out;
        }, error -> Map.of())));
        return CompletableFuture.allOf(perShard.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            Map<String, Map<TopicPartition, Long>> all = new HashMap<>();
            perShard.forEach(future -> all.putAll(future.join()));
            return all;
        });
    }

    /** Stops the timers, finishes queued operations and closes the logs. */
    @Override
    public void close() {
        shards.close();
    }
}
