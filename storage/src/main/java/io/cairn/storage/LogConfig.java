package io.cairn.storage;

import io.cairn.protocol.record.RecordBatchDescriptor;

/**
 * Typed, immutable per-log configuration. The broker parses and validates config strings
 * (topic configs, AlterConfigs) and hands storage one of these; a live log takes a new one
 * through {@link Log#updateConfig(LogConfig)}.
 *
 * <p>Names follow the Kafka topic config keys, with units in the component names.
 *
 * @param segmentBytes           {@code segment.bytes}: roll the active segment before it would exceed this size
 * @param segmentMs              {@code segment.ms}: roll a non-empty active segment this long after it was opened
 * @param segmentIndexBytes      {@code segment.index.bytes}: preallocated size of each index file; a full index rolls
 * @param indexIntervalBytes     {@code index.interval.bytes}: bytes of batches between two offset-index entries
 * @param retentionMs            {@code retention.ms}: delete segments whose newest timestamp is older; -1 = forever
 * @param retentionBytes         {@code retention.bytes}: delete oldest segments while the log is larger; -1 = no limit
 * @param cleanupPolicy          {@code cleanup.policy}
 * @param deleteRetentionMs      {@code delete.retention.ms}: how long tombstones survive compaction
 * @param minCompactionLagMs     {@code min.compaction.lag.ms}: records younger than this are never compacted
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: dirty bytes / cleanable bytes that triggers cleaning
 * @param flushMessages          {@code flush.messages}: force the log after this many unflushed messages
 * @param flushMs                {@code flush.ms}: force the log when its oldest unflushed append is this old
 * @param maxMessageBytes        {@code max.message.bytes}: largest batch accepted by append
 * @param fileDeleteDelayMs      {@code file.delete.delay.ms}: how long a deleted segment stays open for readers
 */
public record LogConfig(
    int segmentBytes,
    long segmentMs,
    int segmentIndexBytes,
    int indexIntervalBytes,
    long retentionMs,
    long retentionBytes,
    CleanupPolicy cleanupPolicy,
    long deleteRetentionMs,
    long minCompactionLagMs,
    double minCleanableDirtyRatio,
    long flushMessages,
    long flushMs,
    int maxMessageBytes,
    long fileDeleteDelayMs) {

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1;
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_MIN_COMPACTION_LAG_MS = 0;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;
    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    /** 1 MiB of records plus the 12-byte log overhead, as Kafka's default. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + RecordBatchDescriptor.LOG_OVERHEAD;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000;

    /** Smallest {@code segment.index.bytes}: room for two time-index entries (one is reserved for the roll). */
    public static final int MIN_SEGMENT_INDEX_BYTES = 2 * TimeIndex.ENTRY_SIZE;

    private static final LogConfig DEFAULTS = new Builder().build();

    public LogConfig {
        if (cleanupPolicy == null) {
            throw new IllegalArgumentException("cleanup.policy must not be null");
        }
        check(segmentBytes >= RecordBatchDescriptor.HEADER_SIZE, "segment.bytes", segmentBytes,
            ">= " + RecordBatchDescriptor.HEADER_SIZE);
        check(segmentMs >= 1, "segment.ms", segmentMs, ">= 1");
        check(segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES, "segment.index.bytes", segmentIndexBytes,
            ">= " + MIN_SEGMENT_INDEX_BYTES);
        check(indexIntervalBytes >= 0, "index.interval.bytes", indexIntervalBytes, ">= 0");
        check(retentionMs >= -1, "retention.ms", retentionMs, ">= -1");
        check(retentionBytes >= -1, "retention.bytes", retentionBytes, ">= -1");
        check(deleteRetentionMs >= 0, "delete.retention.ms", deleteRetentionMs, ">= 0");
        check(minCompactionLagMs >= 0, "min.compaction.lag.ms", minCompactionLagMs, ">= 0");
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("min.cleanable.dirty.ratio=" + minCleanableDirtyRatio
                + " out of range (expected: 0..1)");
        }
        check(flushMessages >= 1, "flush.messages", flushMessages, ">= 1");
        check(flushMs >= 0, "flush.ms", flushMs, ">= 0");
        check(maxMessageBytes >= 0, "max.message.bytes", maxMessageBytes, ">= 0");
        check(fileDeleteDelayMs >= 0, "file.delete.delay.ms", fileDeleteDelayMs, ">= 0");
    }

    private static void check(boolean ok, String key, long value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(key + "=" + value + " out of range (expected: " + expected + ")");
        }
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link LogConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long segmentMs = DEFAULT_SEGMENT_MS;
        private int segmentIndexBytes = DEFAULT_SEGMENT_INDEX_BYTES;
        private int indexIntervalBytes = DEFAULT_INDEX_INTERVAL_BYTES;
        private long retentionMs = DEFAULT_RETENTION_MS;
        private long retentionBytes = DEFAULT_RETENTION_BYTES;
        private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE;
        private long deleteRetentionMs = DEFAULT_DELETE_RETENTION_MS;
        private long minCompactionLagMs = DEFAULT_MIN_COMPACTION_LAG_MS;
        private double minCleanableDirtyRatio = DEFAULT_MIN_CLEANABLE_DIRTY_RATIO;
        private long flushMessages = DEFAULT_FLUSH_MESSAGES;
        private long flushMs = DEFAULT_FLUSH_MS;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private long fileDeleteDelayMs = DEFAULT_FILE_DELETE_DELAY_MS;

        private Builder() {
        }

        private Builder(LogConfig c) {
            segmentBytes = c.segmentBytes;
            segmentMs = c.segmentMs;
            segmentIndexBytes = c.segmentIndexBytes;
            indexIntervalBytes = c.indexIntervalBytes;
            retentionMs = c.retentionMs;
            retentionBytes = c.retentionBytes;
            cleanupPolicy = c.cleanupPolicy;
            deleteRetentionMs = c.deleteRetentionMs;
            minCompactionLagMs = c.minCompactionLagMs;
            minCleanableDirtyRatio = c.minCleanableDirtyRatio;
            flushMessages = c.flushMessages;
            flushMs = c.flushMs;
            maxMessageBytes = c.maxMessageBytes;
            fileDeleteDelayMs = c.fileDeleteDelayMs;
        }

        public Builder segmentBytes(int v) {
            segmentBytes = v;
            return this;
        }

        public Builder segmentMs(long v) {
            segmentMs = v;
            return this;
        }

        public Builder segmentIndexBytes(int v) {
            segmentIndexBytes = v;
            return this;
        }

        public Builder indexIntervalBytes(int v) {
            indexIntervalBytes = v;
            return this;
        }

        public Builder retentionMs(long v) {
            retentionMs = v;
            return this;
        }

        public Builder retentionBytes(long v) {
            retentionBytes = v;
            return this;
        }

        public Builder cleanupPolicy(CleanupPolicy v) {
            cleanupPolicy = v;
            return this;
        }

        public Builder deleteRetentionMs(long v) {
            deleteRetentionMs = v;
            return this;
        }

        public Builder minCompactionLagMs(long v) {
            minCompactionLagMs = v;
            return this;
        }

        public Builder minCleanableDirtyRatio(double v) {
            minCleanableDirtyRatio = v;
            return this;
        }

        public Builder flushMessages(long v) {
            flushMessages = v;
            return this;
        }

        public Builder flushMs(long v) {
            flushMs = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public Builder fileDeleteDelayMs(long v) {
            fileDeleteDelayMs = v;
            return this;
        }

        public LogConfig build() {
            return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, cleanupPolicy, deleteRetentionMs, minCompactionLagMs, minCleanableDirtyRatio,
                flushMessages, flushMs, maxMessageBytes, fileDeleteDelayMs);
        }
    }
}
