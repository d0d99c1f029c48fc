package io.cairn.client.consumer;

import io.cairn.client.TopicPartition;
import java.util.Collection;

/**
 * Told when group membership moves partitions to or from this consumer. Runs on the consumer's
 * thread, inside {@code poll} (or {@code close}/{@code unsubscribe}), never concurrently with it.
 *
 * <p>The coordinator revokes before it reassigns: a partition is only handed to another member after
 * this one reported it released, so {@link #onPartitionsRevoked} is the place to commit what was
 * processed (with {@code enable.auto.commit=true} the consumer has already committed the positions
 * of revoked partitions when it is called).
 */
public interface ConsumerRebalanceListener {
    /** Partitions this consumer must stop reading; their new owner starts at the committed offsets. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** Partitions newly given to this consumer; their positions come from committed offsets or {@code auto.offset.reset}. */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * Partitions taken away without a chance to commit (the member was fenced or removed, e.g. after
     * missing heartbeats or exceeding {@code max.poll.interval.ms}); they may already be read by
     * another member. By default treated as a revocation.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    /** A listener that does nothing. */
    static ConsumerRebalanceListener noop() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
    }
}
