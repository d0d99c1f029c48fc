package io.cairn.broker.metadata;

import java.util.Optional;

/**
 * A partition directory {@code <data.dir>/<topic>-<partition>} as found on disk or to be created.
 *
 * @param topic     a valid topic name
 * @param partition the partition index, {@code >= 0}
 */
public record TopicPartitionDir(String topic, int partition) implements Comparable<TopicPartitionDir> {

    public TopicPartitionDir {
        String problem = TopicNames.validate(topic);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " of topic " + topic + " is negative");
        }
    }

    /** {@code orders-3}. */
    public String dirName() {
        return topic + "-" + partition;
    }

    /**
     * Parses a directory name. The partition is the decimal number after the last '-', without
     * leading zeros (so {@code orders-03} is not a partition directory); names such as storage's
     * {@code orders-3.<id>-delete} do not parse.
     */
    public static Optional<TopicPartitionDir> parse(String dirName) {
        int dash = dirName.lastIndexOf('-');
        if (dash <= 0 || dash == dirName.length() - 1) {
            return Optional.empty();
        }
        String digits = dirName.substring(dash + 1);
        if (digits.length() > 10 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return Optional.empty();
        }
        long partition = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            partition = partition * 10 + (c - '0');
        }
        String topic = dirName.substring(0, dash);
        if (partition > Integer.MAX_VALUE || !TopicNames.isValid(topic)) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartitionDir(topic, (int) partition));
    }

    @Override
    public int compareTo(TopicPartitionDir o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return dirName();
    }
}
