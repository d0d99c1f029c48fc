package io.cairn.client.testing;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.message.ConsumerGroupHeartbeatRequest;
import io.cairn.protocol.message.ConsumerGroupHeartbeatResponse;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A deliberately simple group coordinator for {@link FakeBroker}: members heartbeat with their
 * subscription and owned partitions; partitions are spread round-robin over the members (sorted by
 * id); a member is told only the partitions of its target that no other member still owns (revoke
 * before reassign); members silent for the session timeout are removed. Offsets live in a map.
 * Runs on the fake broker's event loop only.
 */
final class FakeGroupCoordinator {
    private static final int HEARTBEAT_INTERVAL_MS = 100;
    private static final long SESSION_TIMEOUT_MS = 3_000;

    private static final class Member {
        final String id;
        int epoch;
        List<String> topics = List.of();
        Set<TopicPartition> owned = new HashSet<>();
        long lastHeartbeatMs;

        Member(String id) {
            this.id = id;
        }
    }

    private final Map<String, Integer> topics;
    private final Map<String, TreeMap<String, Member>> groups = new HashMap<>();
    private final Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>();
    private final Map<String, Integer> groupEpochs = new HashMap<>();

    FakeGroupCoordinator(Map<String, Integer> topics) {
        this.topics = topics;
    }

    ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest r) {
        long now = System.currentTimeMillis();
        TreeMap<String, Member> members = groups.computeIfAbsent(r.groupId(), g -> new TreeMap<>());
        members.values().removeIf(m -> now - m.lastHeartbeatMs > SESSION_TIMEOUT_MS && bump(r.groupId()));
        if (r.memberEpoch() < 0) {
            if (members.remove(r.memberId()) != null) {
                bump(r.groupId());
            }
            return new ConsumerGroupHeartbeatResponse(ErrorCode.NONE.code(), null, r.memberId(), r.memberEpoch(), 0, null);
        }
        Member m = members.get(r.memberId());
        if (r.memberEpoch() == 0) {
            if (m == null) {
                m = new Member(r.memberId() == null || r.memberId().isEmpty() ? UUID.randomUUID().toString() : r.memberId());
                members.put(m.id, m);
            }
            m.owned.clear();
            bump(r.groupId());
        } else if (m == null) {
            return new ConsumerGroupHeartbeatResponse(ErrorCode.UNKNOWN_MEMBER_ID.code(), "unknown member " + r.memberId(),
                    null, -1, 0, null);
        } else if (r.memberEpoch() > m.epoch) {
            return new ConsumerGroupHeartbeatResponse(ErrorCode.FENCED_MEMBER_EPOCH.code(), "epoch " + r.memberEpoch()
                    + " ahead of " + m.epoch, null, -1, 0, null);
        }
        m.lastHeartbeatMs = now;
        if (r.subscribedTopicNames() != null) {
            m.topics = List.copyOf(r.subscribedTopicNames());
            bump(r.groupId());
        }
        if (r.topicPartitions() != null) {
            m.owned = toSet(r.topicPartitions());
        }
        m.epoch = groupEpochs.getOrDefault(r.groupId(), 0);
        Set<TopicPartition> target = targetOf(members, m);
        Set<TopicPartition> current = new TreeSet<>(target);
        for (Member other : members.values()) {
            if (other != m) {
                current.removeAll(other.owned);
            }
        }
        return new ConsumerGroupHeartbeatResponse(ErrorCode.NONE.code(), null, m.id, m.epoch, HEARTBEAT_INTERVAL_MS,
                toWire(current));
    }

    private boolean bump(String group) {
        groupEpochs.merge(group, 1, Integer::sum);
        return true;
    }

    private Set<TopicPartition> targetOf(TreeMap<String, Member> members, Member member) {
        Set<String> subscribed = new TreeSet<>();
        members.values().forEach(x -> subscribed.addAll(x.topics));
        List<TopicPartition> all = new ArrayList<>();
        for (String t : subscribed) {
            for (int p = 0; p < topics.getOrDefault(t, 0); p++) {
                all.add(new TopicPartition(t, p));
            }
        }
        List<String> ids = new ArrayList<>(members.keySet());
        Set<TopicPartition> out = new TreeSet<>();
        for (int i = 0; i < all.size(); i++) {
            if (ids.get(i % ids.size()).equals(member.id) && member.topics.contains(all.get(i).topic())) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    OffsetCommitResponse commit(OffsetCommitRequest r) {
        TreeMap<String, Member> members = groups.computeIfAbsent(r.groupId(), g -> new TreeMap<>());
        ErrorCode code = ErrorCode.NONE;
        if (r.memberEpoch() >= 0) {
            Member m = members.get(r.memberId());
            if (m == null) {
                code = ErrorCode.UNKNOWN_MEMBER_ID;
            } else if (r.memberEpoch() > m.epoch) {
                code = ErrorCode.FENCED_MEMBER_EPOCH;
            }
        }
        List<OffsetCommitResponse.OffsetCommitTopicResponse> out = new ArrayList<>();
        Map<TopicPartition, Long> stored = offsets.computeIfAbsent(r.groupId(), g -> new HashMap<>());
        for (OffsetCommitRequest.OffsetCommitTopic t : r.topics()) {
            List<OffsetCommitResponse.OffsetCommitPartitionResponse> parts = new ArrayList<>();
            for (OffsetCommitRequest.OffsetCommitPartition p : t.partitions()) {
                if (code == ErrorCode.NONE) {
                    stored.put(new TopicPartition(t.name(), p.partitionIndex()), p.committedOffset());
                }
                parts.add(new OffsetCommitResponse.OffsetCommitPartitionResponse(p.partitionIndex(), code.code()));
            }
            out.add(new OffsetCommitResponse.OffsetCommitTopicResponse(t.name(), parts));
        }
        return new OffsetCommitResponse(ErrorCode.NONE.code(), null, out);
    }

    OffsetFetchResponse fetch(OffsetFetchRequest r) {
        Map<TopicPartition, Long> stored = offsets.getOrDefault(r.groupId(), Map.of());
        List<OffsetFetchResponse.OffsetFetchTopic> out = new ArrayList<>();
        for (TopicPartitions t : r.topics()) {
            List<OffsetFetchResponse.OffsetFetchPartition> parts = new ArrayList<>();
            for (int p : t.partitions()) {
                long off = stored.getOrDefault(new TopicPartition(t.topicName(), p), -1L);
                parts.add(new OffsetFetchResponse.OffsetFetchPartition(p, off, -1, null, ErrorCode.NONE.code()));
            }
            out.add(new OffsetFetchResponse.OffsetFetchTopic(t.topicName(), parts));
        }
        return new OffsetFetchResponse(ErrorCode.NONE.code(), null, out);
    }

    /** The committed offset of a partition, or -1. */
    long committed(String group, TopicPartition tp) {
        return offsets.getOrDefault(group, Map.of()).getOrDefault(tp, -1L);
    }

    private static Set<TopicPartition> toSet(List<TopicPartitions> wire) {
        Set<TopicPartition> out = new HashSet<>();
        for (TopicPartitions t : wire) {
            for (int p : t.partitions()) {
                out.add(new TopicPartition(t.topicName(), p));
            }
        }
        return out;
    }

    private static List<TopicPartitions> toWire(Set<TopicPartition> set) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        new TreeSet<>(set).forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<TopicPartitions> out = new ArrayList<>();
        byTopic.forEach((t, ps) -> out.add(new TopicPartitions(t, ps)));
        return out;
    }
}
