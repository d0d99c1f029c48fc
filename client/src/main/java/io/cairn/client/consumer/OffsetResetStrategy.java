package io.cairn.client.consumer;

/** Where a partition without a valid position starts: {@code auto.offset.reset}. */
public enum OffsetResetStrategy {
    /** The log start offset: read everything still retained. */
    EARLIEST,
    /** The end of the log: read only what is appended from now on. */
    LATEST,
    /** No automatic choice: {@code poll} throws {@link io.cairn.client.errors.NoOffsetForPartitionException}. */
    NONE
}
