package io.cairn.broker.group.shard;

import io.cairn.broker.group.Assignment;
import io.cairn.broker.group.GroupCoordinatorConfig;
import io.cairn.broker.group.HeartbeatRequest;
import io.cairn.broker.group.HeartbeatResult;
import io.cairn.broker.group.OffsetCommitRequest;
import io.cairn.broker.group.OffsetCommitResult;
import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.GroupRecordCodec;
import io.cairn.broker.group.record.GroupRecordKey;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link GroupCoordinatorShard} on a simulated clock with deterministic member ids, and
 * replays every record it emits into a second shard, so tests can check that replaying the log
 * rebuilds exactly the live state.
 */
final class ShardHarness {

    final GroupCoordinatorShard shard;
    final GroupCoordinatorShard replica;
    final List<GroupRecord> log = new ArrayList<>();
    long nowMs = 1_000_000L;
    private int nextMemberId = 1;

    ShardHarness() {
        this(GroupCoordinatorConfig.defaults());
    }

    ShardHarness(GroupCoordinatorConfig config) {
        shard = new GroupCoordinatorShard(0, config, () -> "m" + nextMemberId++);
        replica = new GroupCoordinatorShard(0, config, () -> {
            throw new AssertionError("a replaying shard never assigns member ids");
        });
    }

    /** Keeps the records and replays them, through their binary encoding, into the replica. */
    <T> T apply(CoordinatorResult<T> result) {
        for (GroupRecord record : result.records()) {
            log.add(record);
            byte[] value = GroupRecordCodec.encodeValue(record.value());
            replica.replay(GroupRecordCodec.decode(ByteBuffer.wrap(GroupRecordCodec.encodeKey(record.key())),
                    value == null ? null : ByteBuffer.wrap(value)));
        }
        return result.response();
    }

    void topics(Map<String, Integer> partitionCounts) {
        apply(shard.updateTopics(TopicsImage.of(partitionCounts), nowMs));
    }

    HeartbeatResult heartbeat(HeartbeatRequest request) {
        return apply(shard.heartbeat(request, nowMs));
    }

    HeartbeatResult join(String groupId, String... topics) {
        return heartbeat(HeartbeatRequest.join(groupId, topics));
    }

    /** A plain heartbeat of an existing member reporting {@code owned} (null = not reported). */
    HeartbeatResult heartbeat(String groupId, String memberId, int epoch, Assignment owned) {
        return heartbeat(HeartbeatRequest.builder(groupId).memberId(memberId).memberEpoch(epoch)
                .ownedPartitions(owned).build());
    }

    OffsetCommitResult commit(OffsetCommitRequest request) {
        return apply(shard.commitOffsets(request, nowMs));
    }

    void advance(long ms) {
        nowMs += ms;
        apply(shard.tick(nowMs));
    }

    ConsumerGroup group(String groupId) {
        return shard.group(groupId);
    }

    /** The member, or null when it or its group does not exist. */
    ConsumerGroupMember member(String groupId, String memberId) {
        ConsumerGroup group = shard.group(groupId);
        return group == null ? null : group.member(memberId);
    }

    /**
     * Checks that replaying the records rebuilds the live state, and so does replaying only the
     * latest value of each key in any order (what compaction or the RocksDB view leaves).
     */
    void assertReplayMatches() {
        assertThat(snapshot(replica)).as("state rebuilt by replaying the records").isEqualTo(snapshot(shard));

        Map<GroupRecordKey, GroupRecord> latest = new LinkedHashMap<>();
        for (GroupRecord record : log) {
            if (record.isTombstone()) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record);
            }
        }
        List<GroupRecord> shuffled = new ArrayList<>(latest.values());
        Collections.shuffle(shuffled, new Random(log.size()));
        GroupCoordinatorShard compacted = new GroupCoordinatorShard(0, GroupCoordinatorConfig.defaults(), () -> "x");
        shuffled.forEach(compacted::replay);
        assertThat(snapshot(compacted)).as("state rebuilt from the latest value per key, shuffled")
                .isEqualTo(snapshot(shard));
    }

    /** Everything a group holds, as comparable values. */
    static Map<String, List<Object>> snapshot(GroupCoordinatorShard shard) {
        Map<String, List<Object>> out = new TreeMap<>();
        for (ConsumerGroup group : shard.groups()) {
            out.put(group.groupId(), List.of(group.groupEpoch(), group.subscriptionMetadataHash(),
                    group.targetAssignmentEpoch(), new TreeMap<>(group.members()),
                    new TreeMap<>(group.targetAssignment()), new TreeMap<>(group.offsets())));
        }
        return out;
    }
}
