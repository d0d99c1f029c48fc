package io.cairn.broker.group;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of an {@link OffsetCommitRequest}, per partition in request order. A group-level
 * refusal (unknown member, stale epoch, ...) is reported for every partition, as Kafka does.
 */
public record OffsetCommitResult(Map<TopicPartition, GroupError> errors) {

    public OffsetCommitResult {
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public GroupError errorFor(TopicPartition partition) {
        return errors.get(partition);
    }

    /** Whether every partition was committed. */
    public boolean isSuccess() {
        return errors.values().stream().allMatch(e -> e == GroupError.NONE);
    }
}
