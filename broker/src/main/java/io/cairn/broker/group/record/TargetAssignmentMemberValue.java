package io.cairn.broker.group.record;

import io.cairn.broker.group.Assignment;

import java.util.Objects;

/** The partitions the target assignment gives one member. */
public record TargetAssignmentMemberValue(Assignment partitions) implements GroupRecordValue {
    public TargetAssignmentMemberValue {
        Objects.requireNonNull(partitions, "partitions");
    }
}
