package io.cairn.broker.group.record;

/**
 * A group's epoch and the hash of the topic metadata (names and partition counts of the topics its
 * members subscribe to) that epoch was computed for; a restarted coordinator compares the hash with
 * the current topics to notice changes made while it was down.
 */
public record GroupMetadataValue(int epoch, long subscriptionMetadataHash) implements GroupRecordValue {
}
