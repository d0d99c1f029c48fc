package io.cairn.broker.group.storage;

import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.PartitionOffset;
import io.cairn.broker.group.shard.CoordinatorResult;
import io.cairn.broker.group.shard.GroupCoordinatorShard;
import io.cairn.broker.group.shard.TopicsImage;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.partition.StorageLogs;
import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures how long the group coordinator takes to load {@code __consumer_offsets} at start, with
 * and without the RocksDB view: G groups (default 10 000), each with one member subscribed to a
 * 10-partition topic and R rounds (default 3) of commits of all 10 partitions, spread over the
 * offsets topic's partitions (default 50). Not part of {@code mvn verify}; run it with the test
 * classpath:
 *
 * <pre>
 * java -cp ... io.cairn.broker.group.storage.GroupLoadBenchmark [groups] [rounds] [partitions] [repeats]
 * </pre>
 *
 * Prints one line per load and the medians.
 */
public final class GroupLoadBenchmark {

    private static final String TOPIC = "events";
    private static final int TOPIC_PARTITIONS = 10;

    private GroupLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("cairn-group-load");
        try {
            GroupCoordinatorConfig config = GroupCoordinatorConfig.defaults().withOffsetsTopicPartitions(partitions);
            long records = populate(dir, config, groups, rounds);
            long logBytes = 0;
            try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                    logBytes += Files.size(file);
                }
            }
            System.out.printf("populated: %d groups x %d partitions, %d commit rounds, %d records, %.1f MiB of log "
                    + "in %d partitions%n", groups, TOPIC_PARTITIONS, rounds, records, logBytes / 1048576.0, partitions);
            long[] withView = new long[repeats];
            long[] withoutView = new long[repeats];
            for (int i = 0; i < repeats; i++) {
                withoutView[i] = load(dir, config, false);
                withView[i] = load(dir, config, true);
                System.out.printf("load %d: without view %d ms, with view %d ms%n", i + 1, withoutView[i], withView[i]);
            }
            System.out.printf("median: without view %d ms, with view %d ms%n", median(withoutView), median(withView));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Writes the groups through shards straight into the logs (no waiting for fsync per operation). */
    private static long populate(Path dir, GroupCoordinatorConfig config, int groups, int rounds) throws IOException {
        long records = 0;
        try (LogManager logs = openLogs(dir, config); MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            OffsetsTopicLogs factory = new OffsetsTopicLogs(new StorageLogs(logs), store, System::currentTimeMillis);
            List<GroupCoordinatorShard> shards = new ArrayList<>();
            List<OffsetsTopicLog> shardLogs = new ArrayList<>();
            int[] ids = {0};
            for (int p = 0; p < config.offsetsTopicPartitions(); p++) {
                GroupCoordinatorShard shard = new GroupCoordinatorShard(p, config, () -> "member-" + ids[0]++);
                OffsetsTopicLog log = (OffsetsTopicLog) factory.open(p);
                log.load(shard);
                records += append(log, shard.updateTopics(TopicsImage.of(Map.of(TOPIC, TOPIC_PARTITIONS)), 0));
                shards.add(shard);
                shardLogs.add(log);
            }
            long now = System.currentTimeMillis();
            List<HeartbeatResult> members = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                String groupId = "group-" + g;
                int p = config.partitionFor(groupId);
                CoordinatorResult<HeartbeatResult> joined = shards.get(p).heartbeat(HeartbeatRequest.join(groupId, TOPIC), now);
                records += append(shardLogs.get(p), joined);
                members.add(joined.response());
            }
            for (int round = 1; round <= rounds; round++) {
                for (int g = 0; g < groups; g++) {
                    String groupId = "group-" + g;
                    int p = config.partitionFor(groupId);
                    List<PartitionOffset> offsets = new ArrayList<>(TOPIC_PARTITIONS);
                    for (int tp = 0; tp < TOPIC_PARTITIONS; tp++) {
                        offsets.add(PartitionOffset.of(TOPIC, tp, round * 1000L + tp));
                    }
                    HeartbeatResult member = members.get(g);
                    records += append(shardLogs.get(p), shards.get(p).commitOffsets(
                            OffsetCommitRequest.member(groupId, member.memberId(), member.memberEpoch(), offsets), now));
                }
            }
        }
        return records;
    }

    private static long append(OffsetsTopicLog log, CoordinatorResult<?> result) throws IOException {
        if (!result.records().isEmpty()) {
            log.append(result.records());
        }
        return result.records().size();
    }

    /** Opens everything as a broker start would and times the coordinator's load; returns milliseconds. */
    private static long load(Path dir, GroupCoordinatorConfig config, boolean withView) throws Exception {
        try (LogManager logs = openLogs(dir, config); MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            OffsetsTopicLogs factory = new OffsetsTopicLogs(new StorageLogs(logs), withView ? store : null,
                    System::currentTimeMillis);
            long startNs = System.nanoTime();
            try (GroupCoordinator coordinator = new GroupCoordinator(config, factory, System::currentTimeMillis)) {
                coordinator.start(Map.of(TOPIC, TOPIC_PARTITIONS)).get(10, TimeUnit.MINUTES);
                return (System.nanoTime() - startNs) / 1_000_000;
            }
        }
    }

    private static LogManager openLogs(Path dir, GroupCoordinatorConfig config) {
        LogConfig offsets = LogConfig.builder().cleanupPolicy(CleanupPolicy.COMPACT).segmentBytes(100 << 20).build();
        LogManager logs = LogManager.open(dir.resolve("data"), LogManagerConfig.builder().cleanerThreads(0)
                .topicConfigs(topic -> TopicNames.CONSUMER_OFFSETS.equals(topic) ? offsets : null).build());
        for (int p = 0; p < config.offsetsTopicPartitions(); p++) {
            logs.getOrCreateLog(new TopicPartition(TopicNames.CONSUMER_OFFSETS, p), offsets);
        }
        return logs;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
