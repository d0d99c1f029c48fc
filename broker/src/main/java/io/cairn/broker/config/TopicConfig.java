package io.cairn.broker.config;

import static io.cairn.broker.config.TopicConfigKeys.*;

import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The effective configuration of one topic: each key is the topic's override if it has one, else
 * the broker's default for it ({@code log.segment.bytes} for {@code segment.bytes}), which is
 * itself the declared default unless the broker configuration sets it. Values are resolved once at
 * construction; a changed override or broker config makes a new instance. Immutable.
 */
public final class TopicConfig {

    private final TopicOverrides overrides;
    private final BrokerConfig broker;

    private final CleanupPolicy cleanupPolicy;
    private final long retentionMs;
    private final long retentionBytes;
    private final int segmentBytes;
    private final long segmentMs;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final long deleteRetentionMs;
    private final long minCompactionLagMs;
    private final double minCleanableDirtyRatio;
    private final long flushMessages;
    private final long flushMs;
    private final int maxMessageBytes;
    private final TimestampType messageTimestampType;
    private final long fileDeleteDelayMs;

    private TopicConfig(TopicOverrides overrides, BrokerConfig broker) {
        this.overrides = overrides;
        this.broker = broker;
        this.cleanupPolicy = CleanupPolicy.parse(String.join(",", value(CLEANUP_POLICY)));
        this.retentionMs = value(RETENTION_MS);
        this.retentionBytes = value(RETENTION_BYTES);
        this.segmentBytes = Math.toIntExact(value(SEGMENT_BYTES));
        this.segmentMs = value(SEGMENT_MS);
        this.segmentIndexBytes = Math.toIntExact(value(SEGMENT_INDEX_BYTES));
        this.indexIntervalBytes = Math.toIntExact(value(INDEX_INTERVAL_BYTES));
        this.deleteRetentionMs = value(DELETE_RETENTION_MS);
        this.minCompactionLagMs = value(MIN_COMPACTION_LAG_MS);
        this.minCleanableDirtyRatio = value(MIN_CLEANABLE_DIRTY_RATIO);
        this.flushMessages = value(FLUSH_MESSAGES);
        this.flushMs = value(FLUSH_MS);
        this.maxMessageBytes = Math.toIntExact(value(MAX_MESSAGE_BYTES));
        this.messageTimestampType = TimestampType.of(value(MESSAGE_TIMESTAMP_TYPE));
        this.fileDeleteDelayMs = value(FILE_DELETE_DELAY_MS);
    }

    /** Topic override, else broker default. */
    public static TopicConfig resolve(TopicOverrides overrides, BrokerConfig broker) {
        return new TopicConfig(overrides, broker);
    }

    /**
     * Validates raw overrides and resolves them in one step.
     *
     * @throws ConfigException naming each unknown key or invalid value with what is allowed
     */
    public static TopicConfig resolve(String topic, java.util.Map<String, String> rawOverrides, BrokerConfig broker)
            throws ConfigException {
        return new TopicConfig(TopicOverrides.parse(topic, rawOverrides), broker);
    }

    /** The effective value of any topic key. */
    public <T> T value(ConfigKey<T> key) {
        return overrides.get(key).orElseGet(() -> broker.topicDefault(key));
    }

    public TopicOverrides overrides() {
        return overrides;
    }

    /**
     * Every topic key with its effective value and source: the topic (override), or the source of
     * the broker default (file, environment, --set, or the declared default). For DescribeConfigs.
     */
    public List<ConfigEntry> entries(String topic) {
        List<ConfigEntry> out = new ArrayList<>();
        for (ConfigKey<?> key : TopicConfigKeys.DEF.keys()) {
            out.add(entry(topic, key));
        }
        return out;
    }

    private <T> ConfigEntry entry(String topic, ConfigKey<T> key) {
        ConfigSource source = overrides.contains(key) ? ConfigSource.topic(topic) : broker.topicDefaultSource(key);
        return new ConfigEntry(key.name(), key.format(value(key)), source);
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** -1: keep forever. */
    public long retentionMs() {
        return retentionMs;
    }

    /** -1: no size limit. */
    public long retentionBytes() {
        return retentionBytes;
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    public long segmentMs() {
        return segmentMs;
    }

    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    public long deleteRetentionMs() {
        return deleteRetentionMs;
    }

    public long minCompactionLagMs() {
        return minCompactionLagMs;
    }

    public double minCleanableDirtyRatio() {
        return minCleanableDirtyRatio;
    }

    /** {@link Long#MAX_VALUE}: never flush by count. */
    public long flushMessages() {
        return flushMessages;
    }

    /** {@link Long#MAX_VALUE}: never flush by time. */
    public long flushMs() {
        return flushMs;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public TimestampType messageTimestampType() {
        return messageTimestampType;
    }

    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    /**
     * The typed per-log configuration storage takes. {@code message.timestamp.type} is not part of
     * it: the broker applies LogAppendTime to batches before they are appended.
     */
    public LogConfig toLogConfig() {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs, retentionBytes,
                cleanupPolicy, deleteRetentionMs, minCompactionLagMs, minCleanableDirtyRatio, flushMessages, flushMs,
                maxMessageBytes, fileDeleteDelayMs);
    }

    @Override
    public String toString() {
        return "TopicConfig" + overrides;
    }
}
