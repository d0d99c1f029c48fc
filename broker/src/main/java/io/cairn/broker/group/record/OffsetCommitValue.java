package io.cairn.broker.group.record;

import java.util.Objects;

/**
 * A committed offset: the next offset the group will consume, the leader epoch of the last
 * consumed record (-1 when unknown), free-form client metadata, and when it was committed.
 */
public record OffsetCommitValue(long offset, int leaderEpoch, String metadata, long commitTimestampMs)
        implements GroupRecordValue {
    public OffsetCommitValue {
        Objects.requireNonNull(metadata, "metadata");
    }
}
