package io.cairn.broker.group;

import io.cairn.protocol.wire.ErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of an {@link OffsetCommitRequest}, per partition in request order. A group-level
 * refusal (unknown member, stale epoch, ...) is reported for every partition, as Kafka does.
 */
public record OffsetCommitResult(Map<TopicPartition, ErrorCode> errors) {

    public OffsetCommitResult {
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public ErrorCode errorFor(TopicPartition partition) {
        return errors.get(partition);
    }

    /** Whether every partition was committed. */
    public boolean isSuccess() {
        return errors.values().stream().allMatch(e -> e == ErrorCode.NONE);
    }
}
