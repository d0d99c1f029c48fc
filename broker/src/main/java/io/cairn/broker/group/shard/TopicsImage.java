package io.cairn.broker.group.shard;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An immutable picture of the broker's topics as the coordinator sees them: name → partition
 * count. The coordinator never reads the topic registry itself; it is handed a new image on every
 * topic creation, deletion or partition increase.
 */
public final class TopicsImage {

    public static final TopicsImage EMPTY = new TopicsImage(new TreeMap<>());

    private final NavigableMap<String, Integer> partitionCounts;

    private TopicsImage(TreeMap<String, Integer> partitionCounts) {
        this.partitionCounts = Collections.unmodifiableNavigableMap(partitionCounts);
    }

    public static TopicsImage of(Map<String, Integer> partitionCounts) {
        TreeMap<String, Integer> copy = new TreeMap<>();
        partitionCounts.forEach((topic, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("topic " + topic + " has partition count " + count);
            }
            copy.put(topic, count);
        });
        return new TopicsImage(copy);
    }

    /** Topic name → partition count, in name order. */
    public NavigableMap<String, Integer> partitionCounts() {
        return partitionCounts;
    }

    /** The partition count of {@code topic}, or -1 when it does not exist. */
    public int partitionCount(String topic) {
        Integer count = partitionCounts.get(topic);
        return count == null ? -1 : count;
    }

    public boolean contains(String topic, int partition) {
        return partition >= 0 && partition < partitionCount(topic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicsImage other && other.partitionCounts.equals(partitionCounts);
    }

    @Override
    public int hashCode() {
        return partitionCounts.hashCode();
    }

    @Override
    public String toString() {
        return partitionCounts.toString();
    }
}
