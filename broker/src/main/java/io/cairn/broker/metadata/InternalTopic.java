package io.cairn.broker.metadata;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.TopicConfigKeys;
import java.util.Map;
import java.util.Objects;

/**
 * A topic the broker creates for itself, with the overrides it must have. Used to create it at
 * start-up ({@link TopicRegistry#ensureInternal}) and to restore its overrides when the registry is
 * rebuilt from partition directories (a rebuilt {@code __consumer_offsets} must stay compacted).
 *
 * @param name       the name, starting with {@code __}
 * @param partitions partition count when first created
 * @param overrides  topic config overrides it always has
 */
public record InternalTopic(String name, int partitions, Map<String, String> overrides) {

    public InternalTopic {
        if (!TopicNames.isInternal(name)) {
            throw new IllegalArgumentException("internal topic name must start with __: " + name);
        }
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /** {@code __consumer_offsets}: compacted, {@code offsets.topic.*} sized. */
    public static InternalTopic consumerOffsets(BrokerConfig config) {
        return new InternalTopic(TopicNames.CONSUMER_OFFSETS, config.offsetsTopicNumPartitions(), Map.of(
                TopicConfigKeys.CLEANUP_POLICY.name(), TopicConfigKeys.COMPACT,
                TopicConfigKeys.SEGMENT_BYTES.name(), Long.toString(config.offsetsTopicSegmentBytes())));
    }
}
