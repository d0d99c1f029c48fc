package io.cairn.client.consumer;

import io.cairn.client.config.ClientConfig;
import io.cairn.client.config.ConfigDef;
import io.cairn.client.config.ConfigType;
import io.cairn.client.config.ConfigValidator;
import io.cairn.client.errors.ConfigException;
import java.util.Locale;
import java.util.Map;

/** Validated settings of a {@link CairnConsumer}. Immutable. */
public final class ConsumerConfig extends ClientConfig {
    /** Bytes a fetch waits for before the broker answers. */
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    /** Upper bound on the records bytes of one fetch response. */
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    /** How long the broker holds a fetch waiting for fetch.min.bytes. */
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    /** Upper bound on the records bytes per partition in one fetch. */
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    /** Most records one poll() returns. */
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    /** Whether fetched batches are CRC-checked. */
    public static final String CHECK_CRCS = "check.crcs";
    /** Where to start when there is no valid position: earliest, latest or none. */
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    /** Deadline of blocking calls that take no timeout argument. */
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    /** The consumer group; needed for subscribe() and for commits. */
    public static final String GROUP_ID = "group.id";
    /** Static membership id: a restarted member with the same id takes its partitions back. */
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    /** Whether poll() commits the positions of returned records periodically. */
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    /** How often auto-commit commits. */
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    /** Longest gap between polls before the member leaves the group. */
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";

    /** Every key a consumer accepts. */
    public static final ConfigDef DEF = commonDef("consumer")
            .define(FETCH_MIN_BYTES, ConfigType.INT, 1, ConfigValidator.atLeast(0),
                    "bytes the broker waits to gather (up to fetch.max.wait.ms) before answering a fetch")
            .define(FETCH_MAX_BYTES, ConfigType.INT, 52_428_800, ConfigValidator.atLeast(0),
                    "soft upper bound on the bytes of one fetch response (a first batch larger than it is still returned)")
            .define(FETCH_MAX_WAIT_MS, ConfigType.INT, 500, ConfigValidator.atLeast(0),
                    "time the broker may hold a fetch waiting for fetch.min.bytes")
            .define(MAX_PARTITION_FETCH_BYTES, ConfigType.INT, 1_048_576, ConfigValidator.atLeast(0),
                    "soft upper bound on the bytes per partition in one fetch")
            .define(MAX_POLL_RECORDS, ConfigType.INT, 500, ConfigValidator.atLeast(1),
                    "most records returned by one poll()")
            .define(CHECK_CRCS, ConfigType.BOOLEAN, true,
                    "verify the CRC32C of every fetched batch; a mismatch raises CorruptRecordException")
            .define(AUTO_OFFSET_RESET, ConfigType.STRING, "latest", ConfigValidator.oneOf("earliest", "latest", "none"),
                    "where to start when a partition has no position or its position is out of range; none throws")
            .define(DEFAULT_API_TIMEOUT_MS, ConfigType.INT, 60_000, ConfigValidator.atLeast(0),
                    "deadline of blocking calls given no timeout (position, offsetsForTimes, close ...)")
            .define(GROUP_ID, ConfigType.STRING, null,
                    "consumer group to join with subscribe() and to commit offsets for; unset: assign() only, no commits")
            .define(GROUP_INSTANCE_ID, ConfigType.STRING, null,
                    "static membership: a member restarting with the same id gets its partitions back without a rebalance")
            .define(ENABLE_AUTO_COMMIT, ConfigType.BOOLEAN, true,
                    "with a group.id, poll() commits the positions of the records it returned every auto.commit.interval.ms")
            .define(AUTO_COMMIT_INTERVAL_MS, ConfigType.INT, 5_000, ConfigValidator.atLeast(0),
                    "time between automatic commits")
            .define(MAX_POLL_INTERVAL_MS, ConfigType.INT, 300_000, ConfigValidator.atLeast(1),
                    "longest time between polls before the member leaves the group (its partitions go to others); "
                            + "also the time the member may take to revoke partitions");

    /** Parses and cross-checks {@code given}. */
    public ConsumerConfig(Map<String, ?> given) {
        super(DEF, given);
        if (requestTimeoutMs() <= fetchMaxWaitMs()) {
            throw new ConfigException(REQUEST_TIMEOUT_MS + " (" + requestTimeoutMs() + ") must be greater than "
                    + FETCH_MAX_WAIT_MS + " (" + fetchMaxWaitMs() + ") or every long-polling fetch would time out");
        }
        if (groupInstanceId() != null && groupId() == null) {
            throw new ConfigException(GROUP_INSTANCE_ID + " is set but " + GROUP_ID + " is not");
        }
    }

    /** {@value #FETCH_MIN_BYTES}. */
    public int fetchMinBytes() {
        return intValue(FETCH_MIN_BYTES);
    }

    /** {@value #FETCH_MAX_BYTES}. */
    public int fetchMaxBytes() {
        return intValue(FETCH_MAX_BYTES);
    }

    /** {@value #FETCH_MAX_WAIT_MS}. */
    public int fetchMaxWaitMs() {
        return intValue(FETCH_MAX_WAIT_MS);
    }

    /** {@value #MAX_PARTITION_FETCH_BYTES}. */
    public int maxPartitionFetchBytes() {
        return intValue(MAX_PARTITION_FETCH_BYTES);
    }

    /** {@value #MAX_POLL_RECORDS}. */
    public int maxPollRecords() {
        return intValue(MAX_POLL_RECORDS);
    }

    /** {@value #CHECK_CRCS}. */
    public boolean checkCrcs() {
        return booleanValue(CHECK_CRCS);
    }

    /** {@value #AUTO_OFFSET_RESET}. */
    public OffsetResetStrategy autoOffsetReset() {
        return OffsetResetStrategy.valueOf(stringValue(AUTO_OFFSET_RESET).toUpperCase(Locale.ROOT));
    }

    /** {@value #GROUP_ID}, or null. */
    public String groupId() {
        String g = stringValue(GROUP_ID);
        return g == null || g.isEmpty() ? null : g;
    }

    /** {@value #GROUP_INSTANCE_ID}, or null. */
    public String groupInstanceId() {
        String g = stringValue(GROUP_INSTANCE_ID);
        return g == null || g.isEmpty() ? null : g;
    }

    /** Whether auto-commit is on: {@value #ENABLE_AUTO_COMMIT} and a group id. */
    public boolean autoCommit() {
        return booleanValue(ENABLE_AUTO_COMMIT) && groupId() != null;
    }

    /** {@value #AUTO_COMMIT_INTERVAL_MS}. */
    public int autoCommitIntervalMs() {
        return intValue(AUTO_COMMIT_INTERVAL_MS);
    }

    /** {@value #MAX_POLL_INTERVAL_MS}. */
    public int maxPollIntervalMs() {
        return intValue(MAX_POLL_INTERVAL_MS);
    }

    /** {@value #DEFAULT_API_TIMEOUT_MS}. */
    public int defaultApiTimeoutMs() {
        return intValue(DEFAULT_API_TIMEOUT_MS);
    }
}
