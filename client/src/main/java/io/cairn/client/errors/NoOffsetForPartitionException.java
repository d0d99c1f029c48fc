package io.cairn.client.errors;

import io.cairn.client.TopicPartition;
import java.util.Set;

/**
 * A consumer with {@code auto.offset.reset=none} has partitions without a valid position: never
 * positioned, or positioned outside the retained log. Seek them before polling again.
 */
public class NoOffsetForPartitionException extends CairnException {
    private final Set<TopicPartition> partitions;

    /** Creates the exception naming the partitions and why they have no position. */
    public NoOffsetForPartitionException(Set<TopicPartition> partitions, String why) {
        super("no valid position for " + partitions + " and auto.offset.reset=none: " + why);
        this.partitions = Set.copyOf(partitions);
    }

    /** The partitions that need a seek. */
    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
