package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicOverrides;
import java.util.Objects;
import java.util.UUID;

/**
 * What the registry knows about one topic. Immutable; a change makes a new instance.
 *
 * @param name              the topic name
 * @param topicId           stable id, new for every incarnation of a name
 * @param partitionCount    number of partitions, {@code 0..partitionCount-1}
 * @param overrides         validated topic-level config overrides
 * @param state             lifecycle state; only {@link TopicState#LIVE} topics exist for clients
 * @param partitionsPending {@code true} while partitions added by CreatePartitions are being
 *                          created (their directories may be missing)
 */
public record TopicMetadata(String name, UUID topicId, int partitionCount, TopicOverrides overrides,
                            TopicState state, boolean partitionsPending) {

    public TopicMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(state, "state");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("topic " + name + " has partitionCount=" + partitionCount + ", expected >= 1");
        }
    }

    public boolean isLive() {
        return state == TopicState.LIVE;
    }

    public boolean isInternal() {
        return TopicNames.isInternal(name);
    }

    public TopicMetadata withState(TopicState newState) {
        return new TopicMetadata(name, topicId, partitionCount, overrides, newState, partitionsPending);
    }

    public TopicMetadata withPartitions(int newCount, boolean pending) {
        return new TopicMetadata(name, topicId, newCount, overrides, state, pending);
    }

    public TopicMetadata withOverrides(TopicOverrides newOverrides) {
        return new TopicMetadata(name, topicId, partitionCount, newOverrides, state, partitionsPending);
    }
}
