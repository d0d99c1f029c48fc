package io.cairn.broker.group.runtime;

import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.GroupState;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetCommitResult;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.TopicPartition;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.shard.GroupCoordinatorShard;
import io.cairn.protocol.wire.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GroupCoordinatorTest {

    private static final Map<String, Integer> TOPICS = Map.of("orders", 4);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final GroupCoordinatorConfig config = GroupCoordinatorConfig.defaults().withOffsetsTopicPartitions(4).withThreads(2);
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<GroupCoordinator> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(GroupCoordinator::close);
    }

    private GroupCoordinator start(GroupLogFactory logs) {
        GroupCoordinator coordinator = new GroupCoordinator(config, logs, clock::get);
        started.add(coordinator);
        coordinator.start(TOPICS);
        return coordinator;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void joinCommitFetchDescribeAndDeleteThroughFutures() throws Exception {
        GroupCoordinator coordinator = start(new InMemoryGroupLog.Factory());
        await("load").atMost(TIMEOUT).until(() -> get(coordinator.heartbeat(HeartbeatRequest.join("g", "orders")))
                .error() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        HeartbeatResult joined = get(coordinator.heartbeat(HeartbeatRequest.join("g2", "orders")));
        assertThat(joined.error()).isEqualTo(ErrorCode.NONE);
        assertThat(joined.assignment().size()).isEqualTo(4);

        OffsetCommitResult committed = get(coordinator.commitOffsets(OffsetCommitRequest.member("g2", joined.memberId(),
                joined.memberEpoch(), List.of(PartitionOffset.of("orders", 0, 17)))));
        assertThat(committed.isSuccess()).isTrue();
        assertThat(get(coordinator.fetchOffsets(OffsetFetchRequest.all("g2"))).offset(ORDERS_0).offset()).isEqualTo(17);

        assertThat(get(coordinator.listGroups(Set.of())).groups()).extracting(l -> l.groupId()).containsExactly("g", "g2");
        List<GroupDescription> described = get(coordinator.describeGroups(List.of("g2", "nope", "")));
        assertThat(described).extracting(GroupDescription::error)
                .containsExactly(ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.INVALID_GROUP_ID);
        assertThat(described.get(0).state()).isEqualTo(GroupState.STABLE);

        assertThat(get(coordinator.deleteGroups(List.of("g2", "nope")))).containsExactly(
                Map.entry("g2", ErrorCode.NON_EMPTY_GROUP), Map.entry("nope", ErrorCode.GROUP_ID_NOT_FOUND));
        assertThat(coordinator.partitionFor("g2")).isEqualTo(Math.floorMod("g2".hashCode(), 4));
    }

    @Test
    void membersOffsetsAndEpochsSurviveARestart() throws Exception {
        InMemoryGroupLog.Factory logs = new InMemoryGroupLog.Factory();
        GroupCoordinator first = start(logs);
        HeartbeatResult joined = await().atMost(TIMEOUT).until(
                () -> get(first.heartbeat(HeartbeatRequest.join("g", "orders"))), r -> r.error() == ErrorCode.NONE);
        get(first.commitOffsets(OffsetCommitRequest.member("g", joined.memberId(), joined.memberEpoch(),
                List.of(PartitionOffset.of("orders", 0, 99)))));
        first.close();

        GroupCoordinator second = start(logs);
        HeartbeatResult again = await().atMost(TIMEOUT).until(() -> get(second.heartbeat(
                HeartbeatRequest.builder("g").memberId(joined.memberId()).memberEpoch(joined.memberEpoch()).build())),
                r -> r.error() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(again.error()).as("the member is still known after the restart").isEqualTo(ErrorCode.NONE);
        assertThat(again.memberEpoch()).isEqualTo(joined.memberEpoch());
        assertThat(get(second.fetchOffsets(OffsetFetchRequest.all("g"))).offset(ORDERS_0).offset()).isEqualTo(99);

        // Loaded members get a fresh session: silent past the timeout, they are removed.
        clock.addAndGet(config.sessionTimeoutMs() + 1);
        await("session expiry after restart").atMost(TIMEOUT).until(
                () -> get(second.describeGroups(List.of("g"))).get(0).members().isEmpty());
        assertThat(get(second.fetchOffsets(OffsetFetchRequest.all("g"))).offset(ORDERS_0).offset()).isEqualTo(99);
    }

    @Test
    void operationsAnswerLoadInProgressUntilTheShardIsLoaded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InMemoryGroupLog.Factory memory = new InMemoryGroupLog.Factory();
        GroupLogFactory slow = partition -> new ForwardingLog(memory.open(partition)) {
            @Override
            public long load(GroupCoordinatorShard shard) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.load(shard);
            }
        };
        GroupCoordinator coordinator = start(slow);
        assertThat(get(coordinator.heartbeat(HeartbeatRequest.join("g", "orders"))).error())
                .isEqualTo(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(get(coordinator.commitOffsets(OffsetCommitRequest.admin("g", List.of(PartitionOffset.of("orders", 0, 1)))))
                .errorFor(ORDERS_0)).isEqualTo(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(get(coordinator.listGroups(Set.of())).error()).isEqualTo(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        release.countDown();
        await().atMost(TIMEOUT).until(() -> get(coordinator.heartbeat(HeartbeatRequest.join("g", "orders"))).error()
                == ErrorCode.NONE);
    }

    @Test
    void topicsDeletedWhileAShardLoadsLoseTheirOffsets() throws Exception {
        InMemoryGroupLog.Factory memory = new InMemoryGroupLog.Factory();
        GroupCoordinator first = start(memory);
        await().atMost(TIMEOUT).until(() -> get(first.commitOffsets(OffsetCommitRequest.admin("g",
                List.of(PartitionOffset.of("orders", 0, 5))))).isSuccess());
        first.close();

        CountDownLatch release = new CountDownLatch(1);
        GroupLogFactory slow = partition -> new ForwardingLog(memory.open(partition)) {
            @Override
            public long load(GroupCoordinatorShard shard) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.load(shard);
            }
        };
        GroupCoordinator second = start(slow);
        second.updateTopics(Map.of("payments", 1));
        release.countDown();
        await().atMost(TIMEOUT).until(() -> get(second.listGroups(Set.of())).error() == ErrorCode.NONE);
        assertThat(get(second.fetchOffsets(OffsetFetchRequest.all("g"))).offsets()).isEmpty();
    }

    @Test
    void answersWaitUntilTheirRecordsAreDurable() throws Exception {
        ManualFlushLog log = new ManualFlushLog();
        GroupCoordinator coordinator = start(partition -> partition == config.partitionFor("g") ? log
                : new InMemoryGroupLog());
        await().atMost(TIMEOUT).until(() -> log.loaded);

        CompletableFuture<HeartbeatResult> join = coordinator.heartbeat(HeartbeatRequest.join("g", "orders"));
        await("records appended").atMost(TIMEOUT).until(() -> log.records().size() > 0);
        CompletableFuture<?> fetch = coordinator.fetchOffsets(OffsetFetchRequest.all("g"));
        assertThat(join).as("not durable yet").isNotDone();
        await("the fetch was queued behind the join").atMost(TIMEOUT).until(() -> log.pending.size() == 2);
        assertThat(fetch).as("a read waits for earlier writes to be durable").isNotDone();

        log.flushAll();
        assertThat(get(join).error()).isEqualTo(ErrorCode.NONE);
        assertThat(get(fetch)).isNotNull();
    }

    @Test
    void aFailedFlushMakesTheShardUnavailable() throws Exception {
        ManualFlushLog log = new ManualFlushLog();
        GroupCoordinator coordinator = start(partition -> partition == config.partitionFor("g") ? log
                : new InMemoryGroupLog());
        await().atMost(TIMEOUT).until(() -> log.loaded);
        CompletableFuture<HeartbeatResult> join = coordinator.heartbeat(HeartbeatRequest.join("g", "orders"));
        await().atMost(TIMEOUT).until(() -> log.pending.size() == 1);
        log.failAll(new IOException("disk gone"));
        assertThat(get(join).error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        await().atMost(TIMEOUT).until(() -> get(coordinator.heartbeat(HeartbeatRequest.join("g", "orders"))).error()
                == ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void concurrentCallersAreSerializedPerGroup() throws Exception {
        GroupCoordinator coordinator = start(new InMemoryGroupLog.Factory());
        await().atMost(TIMEOUT).until(() -> get(coordinator.listGroups(Set.of())).error() == ErrorCode.NONE);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int t = thread;
                calls.add(callers.submit(() -> {
                    for (int i = 1; i <= 200; i++) {
                        OffsetCommitResult result = get(coordinator.commitOffsets(OffsetCommitRequest.admin("group-" + t,
                                List.of(PartitionOffset.of("orders", i % 4, i)))));
                        assertThat(result.isSuccess()).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        for (int t = 0; t < 4; t++) {
            var offsets = get(coordinator.fetchOffsets(OffsetFetchRequest.all("group-" + t))).offsets();
            assertThat(offsets).hasSize(4);
            assertThat(offsets.get(ORDERS_0).offset()).isEqualTo(200);
        }
    }

    /** Delegates everything to another log. */
    static class ForwardingLog implements GroupLog {
        private final GroupLog delegate;

        ForwardingLog(GroupLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public long load(GroupCoordinatorShard shard) throws IOException {
            return delegate.load(shard);
        }

        @Override
        public long append(List<GroupRecord> records) throws IOException {
            return delegate.append(records);
        }

        @Override
        public CompletableFuture<Void> durable(long endOffset) {
            return delegate.durable(endOffset);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /** An in-memory log whose flushes complete only when the test says so. */
    static final class ManualFlushLog extends ForwardingLog {
        final List<CompletableFuture<Void>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final InMemoryGroupLog memory;
        volatile boolean loaded;

        ManualFlushLog() {
            this(new InMemoryGroupLog());
        }

        private ManualFlushLog(InMemoryGroupLog memory) {
            super(memory);
            this.memory = memory;
        }

        @Override
        public long load(GroupCoordinatorShard shard) throws IOException {
            long end = super.load(shard);
            loaded = true;
            return end;
        }

        @Override
        public CompletableFuture<Void> durable(long endOffset) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }

        List<GroupRecord> records() {
            return memory.records();
        }

        void flushAll() {
            pending.forEach(f -> f.complete(null));
        }

        void failAll(Throwable error) {
            pending.forEach(f -> f.completeExceptionally(error));
        }
    }
}
