package io.cairn.broker.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable set of topic partitions, grouped by topic: what a member owns, should own, or must
 * give up. Topics are kept in name order and the partitions of a topic in a sorted {@code int[]}
 * without duplicates, so equal sets compare equal, iterate deterministically and cost a few bytes
 * per partition. Topics without partitions are never stored.
 */
public final class Assignment {

    /** The set with no partitions. */
    public static final Assignment EMPTY = new Assignment(new TreeMap<>());

    private final TreeMap<String, int[]> partitionsByTopic;
    private final int size;

    private Assignment(TreeMap<String, int[]> partitionsByTopic) {
        this.partitionsByTopic = partitionsByTopic;
        int total = 0;
        for (int[] partitions : partitionsByTopic.values()) {
            total += partitions.length;
        }
        this.size = total;
    }

    /** Receives one topic partition at a time, in topic then partition order. */
    @FunctionalInterface
    public interface PartitionConsumer {
        void accept(String topic, int partition);
    }

    /** The set of the given partitions per topic (duplicates collapse, empty topics are dropped). */
    public static Assignment of(Map<String, ? extends Collection<Integer>> partitionsByTopic) {
        Builder builder = builder();
        partitionsByTopic.forEach((topic, partitions) -> partitions.forEach(p -> builder.add(topic, p)));
        return builder.build();
    }

    /** The set of the given topic partitions. */
    public static Assignment ofPartitions(Collection<TopicPartition> partitions) {
        Builder builder = builder();
        partitions.forEach(tp -> builder.add(tp.topic(), tp.partition()));
        return builder.build();
    }

    /** Shorthand for tests and examples: one topic with the given partitions. */
    public static Assignment ofTopic(String topic, int... partitions) {
        Builder builder = builder();
        for (int partition : partitions) {
            builder.add(topic, partition);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Topic names with at least one partition, in name order. */
    public NavigableSet<String> topics() {
        return Collections.unmodifiableNavigableSet(partitionsByTopic.navigableKeySet());
    }

    /** The partitions of {@code topic} in ascending order (a copy; empty when none). */
    public int[] partitions(String topic) {
        int[] partitions = partitionsByTopic.get(topic);
        return partitions == null ? new int[0] : partitions.clone();
    }

    /** How many partitions of {@code topic} are in the set. */
    public int partitionCount(String topic) {
        int[] partitions = partitionsByTopic.get(topic);
        return partitions == null ? 0 : partitions.length;
    }

    public boolean contains(String topic, int partition) {
        int[] partitions = partitionsByTopic.get(topic);
        return partitions != null && Arrays.binarySearch(partitions, partition) >= 0;
    }

    public boolean contains(TopicPartition tp) {
        return contains(tp.topic(), tp.partition());
    }

    /** Total number of partitions over all topics. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Calls {@code consumer} for every partition, in topic then partition order. */
    public void forEach(PartitionConsumer consumer) {
        for (Map.Entry<String, int[]> entry : partitionsByTopic.entrySet()) {
            for (int partition : entry.getValue()) {
                consumer.accept(entry.getKey(), partition);
            }
        }
    }

    /** The partitions as a sorted list of {@link TopicPartition}. */
    public List<TopicPartition> toTopicPartitions() {
        List<TopicPartition> out = new ArrayList<>(size);
        forEach((topic, partition) -> out.add(new TopicPartition(topic, partition)));
        return out;
    }

    /** The partitions as topic → ascending list, in topic order. */
    public Map<String, List<Integer>> toMap() {
        Map<String, List<Integer>> out = new TreeMap<>();
        partitionsByTopic.forEach((topic, partitions) -> {
            List<Integer> list = new ArrayList<>(partitions.length);
            for (int partition : partitions) {
                list.add(partition);
            }
            out.put(topic, Collections.unmodifiableList(list));
        });
        return Collections.unmodifiableMap(out);
    }

    /** Partitions in this set or in {@code other}. */
    public Assignment union(Assignment other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Builder builder = builder();
        forEach(builder::add);
        other.forEach(builder::add);
        return builder.build();
    }

    /** Partitions in this set but not in {@code other}. */
    public Assignment minus(Assignment other) {
        if (other.isEmpty() || isEmpty()) {
            return this;
        }
        Builder builder = builder();
        forEach((topic, partition) -> {
            if (!other.contains(topic, partition)) {
                builder.add(topic, partition);
            }
        });
        return builder.build();
    }

    /** Partitions in both this set and {@code other}. */
    public Assignment intersect(Assignment other) {
        if (other.isEmpty() || isEmpty()) {
            return EMPTY;
        }
        Builder builder = builder();
        forEach((topic, partition) -> {
            if (other.contains(topic, partition)) {
                builder.add(topic, partition);
            }
        });
        return builder.build();
    }

    /** Whether some partition is in both sets. */
    public boolean intersects(Assignment other) {
        for (Map.Entry<String, int[]> entry : partitionsByTopic.entrySet()) {
            for (int partition : entry.getValue()) {
                if (other.contains(entry.getKey(), partition)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether every partition of {@code other} is in this set. */
    public boolean containsAll(Assignment other) {
        if (other.size > size) {
            return false;
        }
        for (Map.Entry<String, int[]> entry : other.partitionsByTopic.entrySet()) {
            for (int partition : entry.getValue()) {
                if (!contains(entry.getKey(), partition)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Assignment other) || other.size != size
                || !other.partitionsByTopic.keySet().equals(partitionsByTopic.keySet())) {
            return false;
        }
        for (Map.Entry<String, int[]> entry : partitionsByTopic.entrySet()) {
            if (!Arrays.equals(entry.getValue(), other.partitionsByTopic.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (Map.Entry<String, int[]> entry : partitionsByTopic.entrySet()) {
            hash = 31 * hash + entry.getKey().hashCode();
            hash = 31 * hash + Arrays.hashCode(entry.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        partitionsByTopic.forEach((topic, partitions) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(topic).append('=').append(Arrays.toString(partitions));
        });
        return out.append('}').toString();
    }

    /** Collects partitions; not thread-safe, use once. */
    public static final class Builder {
        private final TreeMap<String, TreeSet<Integer>> partitionsByTopic = new TreeMap<>();

        private Builder() {
        }

        public Builder add(String topic, int partition) {
            Objects.requireNonNull(topic, "topic");
            if (partition < 0) {
                throw new IllegalArgumentException("partition=" + partition + " of topic " + topic + " is negative");
            }
            partitionsByTopic.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
            return this;
        }

        public Builder addAll(String topic, Collection<Integer> partitions) {
            partitions.forEach(p -> add(topic, p));
            return this;
        }

        public Assignment build() {
            if (partitionsByTopic.isEmpty()) {
                return EMPTY;
            }
            TreeMap<String, int[]> out = new TreeMap<>();
            partitionsByTopic.forEach((topic, partitions) -> {
                int[] array = new int[partitions.size()];
                int i = 0;
                for (int partition : partitions) {
                    array[i++] = partition;
                }
                out.put(topic, array);
            });
            return new Assignment(out);
        }
    }
}
