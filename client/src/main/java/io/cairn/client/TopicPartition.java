package io.cairn.client;

import java.util.Objects;

/**
 * One partition of a topic: the unit of ordering, assignment and offsets. Immutable.
 *
 * @param topic the topic name
 * @param partition the partition number, from 0
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    /** Checks the topic is present and the partition not negative. */
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0 for topic " + topic + ": " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartition o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    /** {@code topic-partition}, the form logs and directory names use. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
