package io.cairn.broker.group;

import io.cairn.protocol.wire.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The committed offsets read by an {@link OffsetFetchRequest}: per requested partition (or every
 * committed partition when all were asked for), {@link CommittedOffset#NONE} where nothing is
 * committed. An unknown group reads as no offsets, as in Kafka.
 */
public record OffsetFetchResult(ErrorCode error, Map<TopicPartition, CommittedOffset> offsets) {

    public OffsetFetchResult {
        Objects.requireNonNull(error, "error");
        offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    public static OffsetFetchResult error(ErrorCode error) {
        return new OffsetFetchResult(error, Map.of());
    }

    public CommittedOffset offset(TopicPartition partition) {
        return offsets.getOrDefault(partition, CommittedOffset.NONE);
    }
}
