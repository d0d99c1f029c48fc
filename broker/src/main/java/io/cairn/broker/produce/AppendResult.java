package io.cairn.broker.produce;

import io.cairn.protocol.wire.ErrorCode;

/**
 * The outcome of appending one partition's batches.
 *
 * @param error          {@link ErrorCode#NONE} on success (also for a duplicate answered with its original offset)
 * @param message        why it failed (names topic, partition, batch and limit), null on success
 * @param baseOffset      offset of the first record appended, -1 on failure
 * @param logAppendTimeMs the broker time stamped on the batches of a LogAppendTime topic, else -1
 * @param logStartOffset  the log start offset after the append, -1 if unknown
 */
public record AppendResult(ErrorCode error, String message, long baseOffset, long logAppendTimeMs,
                           long logStartOffset) {

    public static AppendResult appended(long baseOffset, long logAppendTimeMs, long logStartOffset) {
        return new AppendResult(ErrorCode.NONE, null, baseOffset, logAppendTimeMs, logStartOffset);
    }

    public static AppendResult failed(ErrorCode error, String message) {
        return new AppendResult(error, message, -1L, -1L, -1L);
    }

    public boolean isSuccess() {
        return error == ErrorCode.NONE;
    }
}
