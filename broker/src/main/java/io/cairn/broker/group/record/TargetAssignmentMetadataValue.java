package io.cairn.broker.group.record;

/** The group epoch the target assignment was computed for. */
public record TargetAssignmentMetadataValue(int assignmentEpoch) implements GroupRecordValue {
}
