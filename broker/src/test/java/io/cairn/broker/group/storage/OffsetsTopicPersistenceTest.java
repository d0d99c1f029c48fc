package io.cairn.broker.group.storage;

import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetFetchRequest;
import io.cairn.broker.group.OffsetFetchResult;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.runtime.GroupLog;
import io.cairn.broker.group.runtime.GroupLogFactory;
import io.cairn.broker.metadata.Durability;
import io.cairn.broker.metadata.Keyspace;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.partition.StorageLogs;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.Log;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The coordinator over storage's real logs and the RocksDB view: what survives a restart, and how it loads. */
class OffsetsTopicPersistenceTest {

    private static final int PARTITIONS = 2;
    private static final Map<String, Integer> TOPICS = Map.of("orders", 8, "audit", 2);
    private static final List<String> GROUPS = List.of("billing", "shipping", "search", "audit-readers");

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final GroupCoordinatorConfig config = GroupCoordinatorConfig.defaults().withOffsetsTopicPartitions(PARTITIONS);
    private LogConfig offsetsLogConfig = LogConfig.builder().cleanupPolicy(CleanupPolicy.COMPACT).build();
    private long cleanerBackoffMs = 15_000;
    private int cleanerThreads = 1;
    private Run run;

    /** One broker lifetime: logs, metadata store, coordinator. */
    private final class Run implements AutoCloseable {
        final LogManager logs;
        final MetadataStore store;
        final GroupCoordinator coordinator;
        final Map<Integer, OffsetsTopicLog> opened = new ConcurrentHashMap<>();

        Run(boolean withView) throws Exception {
            logs = LogManager.open(dir.resolve("data"), LogManagerConfig.builder().cleanerBackoffMs(cleanerBackoffMs)
                    .cleanerThreads(cleanerThreads)
                    .topicConfigs(topic -> TopicNames.CONSUMER_OFFSETS.equals(topic) ? offsetsLogConfig : null).build());
            for (int p = 0; p < PARTITIONS; p++) {
                logs.getOrCreateLog(new TopicPartition(TopicNames.CONSUMER_OFFSETS, p), offsetsLogConfig);
            }
            store = MetadataStore.open(dir.resolve("meta"));
            OffsetsTopicLogs factory = new OffsetsTopicLogs(new StorageLogs(logs), withView ? store : null, clock::get);
            GroupLogFactory recording = partition -> {
                GroupLog log = factory.open(partition);
                opened.put(partition, (OffsetsTopicLog) log);
                return log;
            };
            coordinator = new GroupCoordinator(config, recording, clock::get);
            coordinator.start(TOPICS).get(30, TimeUnit.SECONDS);
        }

        OffsetsTopicLog.LoadStats loadOf(String groupId) {
            return opened.get(config.partitionFor(groupId)).lastLoad();
        }

        Log offsetsLog(int partition) {
            return logs.log(new TopicPartition(TopicNames.CONSUMER_OFFSETS, partition)).orElseThrow();
        }

        @Override
        public void close() {
            coordinator.close();
            store.close();
            logs.close();
        }
    }

    @AfterEach
    void closeRun() {
        if (run != null) {
            run.close();
        }
    }

    private Run restart(boolean withView) throws Exception {
        if (run != null) {
            run.close();
        }
        run = new Run(withView);
        return run;
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** Joins a member to each group and commits some offsets; returns the members' join answers. */
    private List<HeartbeatResult> populate(int commitRounds) throws Exception {
        List<HeartbeatResult> members = new ArrayList<>();
        for (String group : GROUPS) {
            HeartbeatResult joined = get(run.coordinator.heartbeat(HeartbeatRequest.join(group,
                    group.startsWith("audit") ? "audit" : "orders")));
            assertThat(joined.error()).isEqualTo(ErrorCode.NONE);
            members.add(joined);
        }
        for (int round = 1; round <= commitRounds; round++) {
            for (int i = 0; i < GROUPS.size(); i++) {
                HeartbeatResult member = members.get(i);
                String topic = GROUPS.get(i).startsWith("audit") ? "audit" : "orders";
                List<PartitionOffset> offsets = new ArrayList<>();
                for (int p = 0; p < TOPICS.get(topic); p++) {
                    offsets.add(PartitionOffset.of(topic, p, round * 100L + p));
                }
                assertThat(get(run.coordinator.commitOffsets(OffsetCommitRequest.member(GROUPS.get(i), member.memberId(),
                        member.memberEpoch(), offsets))).isSuccess()).isTrue();
            }
        }
        return members;
    }

    /** Every group's description and committed offsets. */
    private Map<String, Object> state() throws Exception {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (GroupDescription description : get(run.coordinator.describeGroups(GROUPS))) {
            OffsetFetchResult offsets = get(run.coordinator.fetchOffsets(OffsetFetchRequest.all(description.groupId())));
            out.put(description.groupId(), List.of(description, offsets));
        }
        out.put("listing", get(run.coordinator.listGroups(Set.of())));
        return out;
    }

    @Test
    void groupsMembersAndOffsetsSurviveARestartLoadedFromTheView() throws Exception {
        restart(true);
        List<HeartbeatResult> members = populate(3);
        Map<String, Object> before = state();

        restart(true);
        assertThat(state()).isEqualTo(before);
        assertThat(run.loadOf("billing").fromView()).isTrue();
        assertThat(run.loadOf("billing").logRecords()).as("the view was current: no tail").isZero();
        assertThat(run.loadOf("billing").viewEntries()).isPositive();

        // Members kept their ids and epochs: they carry on without rejoining.
        HeartbeatResult billing = members.get(0);
        HeartbeatResult again = get(run.coordinator.heartbeat(HeartbeatRequest.builder("billing")
                .memberId(billing.memberId()).memberEpoch(billing.memberEpoch()).build()));
        assertThat(again.error()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void aStaleViewIsCaughtUpFromTheLogTail() throws Exception {
        restart(true);
        populate(1);
        restart(false);
        populate(2);
        Map<String, Object> before = state();

        restart(true);
        assertThat(state()).isEqualTo(before);
        assertThat(run.loadOf("billing").fromView()).isTrue();
        assertThat(run.loadOf("billing").logRecords()).as("only what the view missed").isPositive();

        restart(true);
        assertThat(run.loadOf("billing").logRecords()).as("caught up on the previous load").isZero();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aMissingViewIsRebuiltFromTheWholePartition() throws Exception {
        restart(false);
        populate(2);
        Map<String, Object> before = state();

        restart(true);
        assertThat(run.loadOf("billing").fromView()).isFalse();
        assertThat(run.loadOf("billing").fromOffset()).isZero();
        assertThat(state()).isEqualTo(before);

        restart(true);
        assertThat(run.loadOf("billing").fromView()).as("rebuilt on the previous load").isTrue();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aDamagedViewIsRebuilt() throws Exception {
        restart(true);
        populate(2);
        Map<String, Object> before = state();
        run.close();
        run = null;
        int partition = config.partitionFor("billing");
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            byte[] prefix = {0, 0, 0, (byte) partition, GroupStateView.ENTRY_TAG};
            List<byte[][]> entries = new ArrayList<>();
            store.scan(Keyspace.GROUP_OFFSETS, prefix, (key, value) -> entries.add(new byte[][] {key, value}));
            byte[][] victim = entries.get(entries.size() / 2);
            victim[1][victim[1].length - 1] ^= 0x40;
            store.put(Keyspace.GROUP_OFFSETS, victim[0], victim[1], Durability.SYNC);
        }
        restart(true);
        assertThat(run.loadOf("billing").fromView()).isFalse();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aViewAheadOfTheLogOrOfAnotherVersionIsRebuilt() throws Exception {
        restart(true);
        populate(1);
        Map<String, Object> before = state();
        int partition = config.partitionFor("billing");
        long end = run.offsetsLog(partition).logEndOffset();
        run.close();
        run = null;
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            new GroupStateView(store, partition).apply(List.of(), end + 100);
        }
        restart(true);
        assertThat(run.loadOf("billing").fromView()).as("the log lost its tail: the view cannot be trusted").isFalse();
        assertThat(state()).isEqualTo(before);

        run.close();
        run = null;
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            byte[] marker = store.get(Keyspace.GROUP_OFFSETS, new byte[] {0, 0, 0, (byte) partition, GroupStateView.MARKER_TAG});
            marker[1] = 99;
            store.put(Keyspace.GROUP_OFFSETS, new byte[] {0, 0, 0, (byte) partition, GroupStateView.MARKER_TAG}, marker,
                    Durability.SYNC);
        }
        restart(true);
        assertThat(run.loadOf("billing").fromView()).isFalse();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void compactionKeepsEveryGroupLoadable() throws Exception {
        offsetsLogConfig = LogConfig.builder().cleanupPolicy(CleanupPolicy.COMPACT).segmentBytes(4096)
                .minCleanableDirtyRatio(0.01).deleteRetentionMs(0).build();
        cleanerThreads = 0;
        restart(false);
        populate(30);
        // A group that comes and goes leaves only tombstones behind.
        HeartbeatResult passing = get(run.coordinator.heartbeat(HeartbeatRequest.join("transient", "orders")));
        get(run.coordinator.heartbeat(HeartbeatRequest.builder("transient").memberId(passing.memberId())
                .memberEpoch(-1).build()));
        Map<String, Object> before = state();
        int partition = config.partitionFor("billing");
        long sizeBefore = run.offsetsLog(partition).sizeInBytes();
        assertThat(run.offsetsLog(partition).segmentCount()).isGreaterThan(3);

        cleanerThreads = 1;
        cleanerBackoffMs = 50;
        restart(false);
        await("the cleaner compacts __consumer_offsets").atMost(Duration.ofSeconds(60))
                .until(() -> run.offsetsLog(partition).sizeInBytes() < sizeBefore / 3);

        cleanerThreads = 0;
        restart(false);
        assertThat(run.loadOf("billing").fromView()).isFalse();
        assertThat(run.offsetsLog(partition).sizeInBytes()).isLessThan(sizeBefore / 3);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void everyRecordHasAKeySoCompactionCanWork() throws IOException {
        // Guard for the compaction contract: the codec never produces a keyless record.
        assertThat(EncodedRecord.of(io.cairn.broker.group.record.GroupRecord.tombstone(
                new io.cairn.broker.group.record.GroupMetadataKey("g"))).key()).isNotEmpty();
    }
}
