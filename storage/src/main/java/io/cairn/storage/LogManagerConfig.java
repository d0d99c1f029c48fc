package io.cairn.storage;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of a {@link LogManager} (broker-level, not per log). Immutable; build with {@link #builder()}.
 *
 * @param defaultLogConfig         config for logs whose topic {@code topicConfigs} does not know
 * @param topicConfigs             config of each topic's logs when opened at start (the broker's topic registry);
 *                                 returns null for "use the default"
 * @param recoveryThreads          threads opening (and recovering) logs at start
 * @param retentionCheckIntervalMs how often retention runs ({@code log.retention.check.interval.ms})
 * @param checkpointIntervalMs     how often recovery-point and log-start checkpoints are written
 * @param flushCheckIntervalMs     how often the flush thread checks {@code flush.ms}
 * @param cleanerThreads           compaction threads; 0 disables compaction
 * @param cleanerBackoffMs         pause of a cleaner thread when no log needs cleaning
 * @param cleanerDedupeBufferBytes memory for the cleaners' key to offset maps, shared among the threads
 * @param clock                    wall clock
 * @param channels                 opens every file (the fault-injection seam)
 * @param endOffsetListener        told after every append to any log, or null
 */
public record LogManagerConfig(
    LogConfig defaultLogConfig,
    Function<String, LogConfig> topicConfigs,
    int recoveryThreads,
    long retentionCheckIntervalMs,
    long checkpointIntervalMs,
    long flushCheckIntervalMs,
    int cleanerThreads,
    long cleanerBackoffMs,
    long cleanerDedupeBufferBytes,
    Clock clock,
    FileChannelFactory channels,
    EndOffsetListener endOffsetListener) {

    public LogManagerConfig {
        Objects.requireNonNull(defaultLogConfig, "defaultLogConfig");
        Objects.requireNonNull(topicConfigs, "topicConfigs");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(channels, "channels");
        if (recoveryThreads < 1 || retentionCheckIntervalMs < 1 || checkpointIntervalMs < 1 || flushCheckIntervalMs < 1
            || cleanerThreads < 0 || cleanerBackoffMs < 1 || cleanerDedupeBufferBytes < 1024) {
            throw new IllegalArgumentException("log manager settings out of range: recoveryThreads=" + recoveryThreads
                + " (>= 1), retentionCheckIntervalMs=" + retentionCheckIntervalMs + " (>= 1), checkpointIntervalMs="
                + checkpointIntervalMs + " (>= 1), flushCheckIntervalMs=" + flushCheckIntervalMs
                + " (>= 1), cleanerThreads=" + cleanerThreads + " (>= 0), cleanerBackoffMs=" + cleanerBackoffMs
                + " (>= 1), cleanerDedupeBufferBytes=" + cleanerDedupeBufferBytes + " (>= 1024)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Config of {@code topic}'s logs at start. */
    LogConfig configFor(String topic) {
        LogConfig c = topicConfigs.apply(topic);
        return c == null ? defaultLogConfig : c;
    }

    /** Builder with Kafka-like defaults. Not thread-safe. */
    public static final class Builder {
        private LogConfig defaultLogConfig = LogConfig.defaults();
        private Function<String, LogConfig> topicConfigs = topic -> null;
        private int recoveryThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long retentionCheckIntervalMs = 300_000;
        private long checkpointIntervalMs = 60_000;
        private long flushCheckIntervalMs = 1_000;
        private int cleanerThreads = 1;
        private long cleanerBackoffMs = 15_000;
        private long cleanerDedupeBufferBytes = 32L * 1024 * 1024;
        private Clock clock = Clock.systemUTC();
        private FileChannelFactory channels = FileChannelFactory.DEFAULT;
        private EndOffsetListener endOffsetListener;

        private Builder() {
        }

        private Builder(LogManagerConfig c) {
            defaultLogConfig = c.defaultLogConfig;
            topicConfigs = c.topicConfigs;
            recoveryThreads = c.recoveryThreads;
            retentionCheckIntervalMs = c.retentionCheckIntervalMs;
            checkpointIntervalMs = c.checkpointIntervalMs;
            flushCheckIntervalMs = c.flushCheckIntervalMs;
            cleanerThreads = c.cleanerThreads;
            cleanerBackoffMs = c.cleanerBackoffMs;
            cleanerDedupeBufferBytes = c.cleanerDedupeBufferBytes;
            clock = c.clock;
            channels = c.channels;
            endOffsetListener = c.endOffsetListener;
        }

        public Builder defaultLogConfig(LogConfig v) {
            defaultLogConfig = v;
            return this;
        }

        public Builder topicConfigs(Function<String, LogConfig> v) {
            topicConfigs = v;
            return this;
        }

        public Builder recoveryThreads(int v) {
            recoveryThreads = v;
            return this;
        }

        public Builder retentionCheckIntervalMs(long v) {
            retentionCheckIntervalMs = v;
            return this;
        }

        public Builder checkpointIntervalMs(long v) {
            checkpointIntervalMs = v;
            return this;
        }

        public Builder flushCheckIntervalMs(long v) {
            flushCheckIntervalMs = v;
            return this;
        }

        public Builder cleanerThreads(int v) {
            cleanerThreads = v;
            return this;
        }

        public Builder cleanerBackoffMs(long v) {
            cleanerBackoffMs = v;
            return this;
        }

        public Builder cleanerDedupeBufferBytes(long v) {
            cleanerDedupeBufferBytes = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder channels(FileChannelFactory v) {
            channels = v;
            return this;
        }

        public Builder endOffsetListener(EndOffsetListener v) {
            endOffsetListener = v;
            return this;
        }

        public LogManagerConfig build() {
            return new LogManagerConfig(defaultLogConfig, topicConfigs, recoveryThreads, retentionCheckIntervalMs,
                checkpointIntervalMs, flushCheckIntervalMs, cleanerThreads, cleanerBackoffMs, cleanerDedupeBufferBytes,
                clock, channels, endOffsetListener);
        }
    }
}
