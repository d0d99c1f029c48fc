package io.cairn.storage;

import io.cairn.protocol.FileSlice;

/**
 * The answer to {@link Log#read}: a zero-copy slice of whole batches (or none), and the log's
 * offsets as they were when the read started.
 *
 * <p>{@link #offsetOutOfRange()} is an expected outcome, not an error: the fetch offset was below
 * the log start offset or above the end offset (Kafka's {@code OFFSET_OUT_OF_RANGE}).
 *
 * @param slice            the batches, or null if there is nothing to return
 * @param logStartOffset   first offset of the log
 * @param highWatermark    last offset + 1 visible to consumers
 * @param logEndOffset     offset the next appended record will get
 * @param offsetOutOfRange true if the fetch offset was outside {@code [logStartOffset, logEndOffset]}
 * @param recordCount      records in the slice when the read could count them from headers it
 *                         already had in memory; -1 when not counted (then a caller that wants the
 *                         number reads the headers itself)
 */
public record LogReadResult(FileSlice slice, long logStartOffset, long highWatermark, long logEndOffset,
                            boolean offsetOutOfRange, long recordCount) {

    /** A result whose records were not counted. */
    public LogReadResult(FileSlice slice, long logStartOffset, long highWatermark, long logEndOffset,
                         boolean offsetOutOfRange) {
        this(slice, logStartOffset, highWatermark, logEndOffset, offsetOutOfRange, slice == null ? 0 : -1);
    }

    /** True if {@link #slice()} holds at least one batch. */
    public boolean hasData() {
        return slice != null && slice.length() > 0;
    }

    /** Bytes in the slice; 0 if none. */
    public int sizeInBytes() {
        return slice == null ? 0 : slice.length();
    }
}
