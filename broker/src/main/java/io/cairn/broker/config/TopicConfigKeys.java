package io.cairn.broker.config;

import io.cairn.storage.LogConfig;
import java.util.List;

/**
 * The topic-level configuration keys: what a CreateTopics or AlterConfigs request may override
 * per topic. Each names the broker key that holds its default ({@link ConfigKey#brokerSynonym()}),
 * spelt as in Kafka so that Kafka operators find what they know. Defaults and lower bounds come
 * from storage's {@link LogConfig}, so a value accepted here is always one storage accepts.
 */
public final class TopicConfigKeys {

    private TopicConfigKeys() {
    }

    public static final String DELETE = "delete";
    public static final String COMPACT = "compact";
    public static final String CREATE_TIME = "CreateTime";
    public static final String LOG_APPEND_TIME = "LogAppendTime";

    public static final ConfigKey<List<String>> CLEANUP_POLICY = ConfigKey.listKey("cleanup.policy")
            .defaultValue(List.of(DELETE))
            .constraint(Constraint.nonEmptySubsetOf(List.of(DELETE, COMPACT)))
            .importance(Importance.HIGH)
            .brokerSynonym("log.cleanup.policy")
            .doc("What happens to old data: `delete` removes whole segments past `retention.ms` or `retention.bytes`; "
                    + "`compact` keeps only the newest record of each key; `compact,delete` does both.")
            .build();

    public static final ConfigKey<Long> RETENTION_MS = ConfigKey.durationKey("retention.ms")
            .defaultValue(LogConfig.DEFAULT_RETENTION_MS)
            .atLeast(-1L)
            .importance(Importance.HIGH)
            .brokerSynonym("log.retention.ms")
            .doc("How long a segment is kept once its newest record is older than this (by record timestamp) "
                    + "when the cleanup policy includes `delete`; -1 keeps data forever.")
            .build();

    public static final ConfigKey<Long> RETENTION_BYTES = ConfigKey.sizeKey("retention.bytes")
            .defaultValue(LogConfig.DEFAULT_RETENTION_BYTES)
            .atLeast(-1L)
            .importance(Importance.HIGH)
            .brokerSynonym("log.retention.bytes")
            .doc("Largest size of one partition before its oldest segments are deleted when the cleanup policy "
                    + "includes `delete`; -1 for no size limit.")
            .build();

    public static final ConfigKey<Long> SEGMENT_BYTES = ConfigKey.sizeKey("segment.bytes")
            .defaultValue((long) LogConfig.DEFAULT_SEGMENT_BYTES)
            .between(1024L, (long) Integer.MAX_VALUE)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.segment.bytes")
            .doc("Size at which a partition's active segment file is closed and a new one started. Retention and "
                    + "compaction work on whole segments; compaction also merges adjacent cleaned segments back into "
                    + "one of at most this size, so a compacted topic keeps about as many segments as its live data "
                    + "needs. At most 2 GiB - 1 because index positions are 32-bit.")
            .build();

    public static final ConfigKey<Long> SEGMENT_MS = ConfigKey.durationKey("segment.ms")
            .defaultValue(LogConfig.DEFAULT_SEGMENT_MS)
            .atLeast(1L)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.roll.ms")
            .doc("Age at which the active segment is rolled even if not full, so that retention and compaction "
                    + "can act on quiet partitions.")
            .build();

    public static final ConfigKey<Long> SEGMENT_INDEX_BYTES = ConfigKey.sizeKey("segment.index.bytes")
            .defaultValue((long) LogConfig.DEFAULT_SEGMENT_INDEX_BYTES)
            .between((long) LogConfig.MIN_SEGMENT_INDEX_BYTES, (long) Integer.MAX_VALUE)
            .importance(Importance.LOW)
            .brokerSynonym("log.index.size.max.bytes")
            .doc("Size preallocated for each segment's offset and time index; a full index rolls the segment. "
                    + "Trimmed to the entries used when the segment rolls.")
            .build();

    public static final ConfigKey<Long> INDEX_INTERVAL_BYTES = ConfigKey.sizeKey("index.interval.bytes")
            .defaultValue((long) LogConfig.DEFAULT_INDEX_INTERVAL_BYTES)
            .between(0L, (long) Integer.MAX_VALUE)
            .importance(Importance.LOW)
            .brokerSynonym("log.index.interval.bytes")
            .doc("Bytes of log appended between two index entries. Smaller finds offsets with a shorter scan "
                    + "but grows the index.")
            .build();

    public static final ConfigKey<Long> DELETE_RETENTION_MS = ConfigKey.durationKey("delete.retention.ms")
            .defaultValue(LogConfig.DEFAULT_DELETE_RETENTION_MS)
            .atLeast(0L)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.cleaner.delete.retention.ms")
            .doc("How long a tombstone (a record with a null value) stays in a compacted topic after the cleaner "
                    + "reached it, so that consumers see the delete.")
            .build();

    public static final ConfigKey<Long> MIN_COMPACTION_LAG_MS = ConfigKey.durationKey("min.compaction.lag.ms")
            .defaultValue(LogConfig.DEFAULT_MIN_COMPACTION_LAG_MS)
            .atLeast(0L)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.cleaner.min.compaction.lag.ms")
            .doc("Minimum age of a record before compaction may remove it.")
            .build();

    public static final ConfigKey<Double> MIN_CLEANABLE_DIRTY_RATIO = ConfigKey.doubleKey("min.cleanable.dirty.ratio")
            .defaultValue(LogConfig.DEFAULT_MIN_CLEANABLE_DIRTY_RATIO)
            .between(0.0, 1.0)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.cleaner.min.cleanable.ratio")
            .doc("Share of a compacted log that must be not yet compacted before the cleaner compacts it again.")
            .build();

    public static final ConfigKey<Long> FLUSH_MESSAGES = ConfigKey.longKey("flush.messages")
            .defaultValue(LogConfig.DEFAULT_FLUSH_MESSAGES)
            .atLeast(1L)
            .importance(Importance.LOW)
            .brokerSynonym("log.flush.interval.messages")
            .doc("Force the log to disk after this many records. The default leaves flushing to the operating "
                    + "system and to `acks=all` produce requests, which are answered only after fsync.")
            .build();

    public static final ConfigKey<Long> FLUSH_MS = ConfigKey.durationKey("flush.ms")
            .defaultValue(LogConfig.DEFAULT_FLUSH_MS)
            .atLeast(0L)
            .importance(Importance.LOW)
            .brokerSynonym("log.flush.interval.ms")
            .doc("Force the log to disk when its oldest unflushed record is this old; checked every "
                    + "`log.flush.scheduler.interval.ms`.")
            .build();

    public static final ConfigKey<Long> MAX_MESSAGE_BYTES = ConfigKey.sizeKey("max.message.bytes")
            .defaultValue((long) LogConfig.DEFAULT_MAX_MESSAGE_BYTES)
            .between(0L, (long) Integer.MAX_VALUE)
            .importance(Importance.MEDIUM)
            .brokerSynonym("message.max.bytes")
            .doc("Largest record batch the broker accepts for the topic (the batch as sent, after compression). "
                    + "The default is 1 MiB plus the 12-byte log overhead, as in Kafka.")
            .build();

    public static final ConfigKey<String> MESSAGE_TIMESTAMP_TYPE = ConfigKey.choiceKey("message.timestamp.type",
                    List.of(CREATE_TIME, LOG_APPEND_TIME))
            .defaultValue(CREATE_TIME)
            .importance(Importance.MEDIUM)
            .brokerSynonym("log.message.timestamp.type")
            .doc("`CreateTime` keeps the producer's record timestamps; `LogAppendTime` stamps each batch with the "
                    + "broker's clock when it is appended.")
            .build();

    public static final ConfigKey<Long> FILE_DELETE_DELAY_MS = ConfigKey.durationKey("file.delete.delay.ms")
            .defaultValue(LogConfig.DEFAULT_FILE_DELETE_DELAY_MS)
            .atLeast(0L)
            .importance(Importance.LOW)
            .brokerSynonym("log.segment.delete.delay.ms")
            .doc("How long a segment removed by retention or compaction stays on disk (renamed `.deleted`) "
                    + "before its files are deleted, so that reads in flight can finish.")
            .build();

    /** All topic-level keys in reference order. */
    public static final ConfigDef DEF = ConfigDef.of("topic", List.of(
            CLEANUP_POLICY, RETENTION_MS, RETENTION_BYTES, SEGMENT_BYTES, SEGMENT_MS, SEGMENT_INDEX_BYTES,
            INDEX_INTERVAL_BYTES, DELETE_RETENTION_MS, MIN_COMPACTION_LAG_MS, MIN_CLEANABLE_DIRTY_RATIO,
            FLUSH_MESSAGES, FLUSH_MS, MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE, FILE_DELETE_DELAY_MS));
}
