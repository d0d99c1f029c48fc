package io.cairn.broker.produce;

import io.cairn.broker.partition.PartitionError;

/**
 * The outcome of appending one partition's batches.
 *
 * @param error          {@link PartitionError#NONE} on success (also for a duplicate answered with its original offset)
 * @param message        why it failed (names topic, partition, batch and limit), null on success
 * @param baseOffset     offset of the first record appended, -1 on failure
 * @param logStartOffset the log start offset after the append, -1 if unknown
 */
public record AppendResult(PartitionError error, String message, long baseOffset, long logStartOffset) {

    public static AppendResult appended(long baseOffset, long logStartOffset) {
        return new AppendResult(PartitionError.NONE, null, baseOffset, logStartOffset);
    }

    public static AppendResult failed(PartitionError error, String message) {
        return new AppendResult(error, message, -1L, -1L);
    }

    public boolean isSuccess() {
        return error == PartitionError.NONE;
    }
}
