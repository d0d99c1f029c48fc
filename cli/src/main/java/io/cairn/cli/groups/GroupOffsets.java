package io.cairn.cli.groups;

import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupDescription;
import io.cairn.client.admin.ListedOffset;
import io.cairn.client.admin.OffsetSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One row per partition a group has committed or owns: committed offset, log end offset, lag and
 * owner, as {@code cairn groups describe} shows them. Built from a group description and a
 * ListOffsets lookup of the log end offsets. Immutable.
 *
 * @param topic     the topic
 * @param partition the partition
 * @param committed the group's committed offset (the next offset to consume), or null when none
 * @param logEnd    the partition's log end offset, or null when it could not be read (topic deleted)
 * @param owner     the member owning the partition now, or null
 */
record GroupOffsets(String topic, int partition, Long committed, Long logEnd, ConsumerGroupDescription.Member owner) {

    /** Records between the committed offset and the log end, or null when either is unknown. */
    Long lag() {
        return committed == null || logEnd == null ? null : Math.max(0, logEnd - committed);
    }

    /** The rows of {@code group}, sorted by topic and partition, with log end offsets read through {@code admin}. */
    static List<GroupOffsets> of(ConsumerGroupDescription group, CairnAdmin admin) throws InterruptedException {
        Map<TopicPartition, ConsumerGroupDescription.Member> owners = new HashMap<>();
        for (ConsumerGroupDescription.Member m : group.members()) {
            m.assignment().forEach(tp -> owners.put(tp, m));
        }
        Set<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        partitions.addAll(group.committedOffsets().keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> ends = logEndOffsets(admin, partitions);
        List<GroupOffsets> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long committed = group.committedOffsets().get(tp);
            rows.add(new GroupOffsets(tp.topic(), tp.partition(), committed == null || committed < 0 ? null : committed,
                    ends.get(tp), owners.get(tp)));
        }
        return rows;
    }

    /** Total lag over {@code rows}, or null when any row's is unknown. */
    static Long totalLag(List<GroupOffsets> rows) {
        long total = 0;
        for (GroupOffsets r : rows) {
            Long lag = r.lag();
            if (lag == null) {
                return null;
            }
            total += lag;
        }
        return total;
    }

    /**
     * Log end offsets, one lookup per topic so that a topic deleted since the group committed to it
     * leaves only its own rows unknown.
     */
    private static Map<TopicPartition, Long> logEndOffsets(CairnAdmin admin, Set<TopicPartition> partitions)
            throws InterruptedException {
        Map<String, Map<TopicPartition, OffsetSpec>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new LinkedHashMap<>()).put(tp, OffsetSpec.latest());
        }
        List<CompletableFuture<Map<TopicPartition, ListedOffset>>> lookups = new ArrayList<>();
        byTopic.values().forEach(specs -> lookups.add(admin.listOffsets(specs)));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (CompletableFuture<Map<TopicPartition, ListedOffset>> lookup : lookups) {
            try {
                lookup.get().forEach((tp, listed) -> ends.put(tp, listed.offset()));
            } catch (ExecutionException e) {
                // the topic is gone or its partitions unavailable: its end offsets stay unknown
            }
        }
        return ends;
    }
}
