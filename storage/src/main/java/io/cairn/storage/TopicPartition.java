package io.cairn.storage;

import java.util.Objects;

/**
 * One partition of a topic, as storage names it: the log directory is {@code <topic>-<partition>}.
 *
 * <p>Topic names may themselves contain {@code '-'} and {@code '.'}; the partition number is what
 * follows the <em>last</em> {@code '-'} of a directory name.
 *
 * @param topic     topic name (legal characters: ASCII letters, digits, '.', '_', '-'; 1..249 chars)
 * @param partition partition number, {@code >= 0}
 */
public record TopicPartition(String topic, int partition) {
    /** Longest legal topic name, as in Kafka (leaves room for the partition suffix in a file name). */
    public static final int MAX_TOPIC_LENGTH = 249;

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (!isLegalTopicName(topic)) {
            throw new IllegalArgumentException("illegal topic name '" + topic
                + "' (expected 1.." + MAX_TOPIC_LENGTH + " chars of [a-zA-Z0-9._-], not '.' or '..')");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0 for topic " + topic + ": " + partition);
        }
    }

    /** True if {@code topic} is a legal topic name. */
    public static boolean isLegalTopicName(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH
            || topic.equals(".") || topic.equals("..")) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The log directory name: {@code <topic>-<partition>}. */
    public String dirName() {
        return topic + "-" + partition;
    }

    /**
     * Parses a log directory name; returns null if the name is not {@code <legal topic>-<partition>}
     * (for example {@code meta}, or a directory being deleted).
     */
    public static TopicPartition parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        String number = name.substring(dash + 1);
        if (number.length() > 10) {
            return null;
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        if (number.length() > 1 && number.charAt(0) == '0') {
            return null;
        }
        long partition = Long.parseLong(number);
        String topic = name.substring(0, dash);
        if (partition > Integer.MAX_VALUE || !isLegalTopicName(topic)) {
            return null;
        }
        return new TopicPartition(topic, (int) partition);
    }

    @Override
    public String toString() {
        return dirName();
    }
}
