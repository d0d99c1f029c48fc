package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * ListOffsets request: offsets by timestamp, or the earliest / latest offset.
 *
 * @param isolationLevel {@link FetchRequest#READ_UNCOMMITTED} or {@link FetchRequest#READ_COMMITTED}
 * @param topics         what to look up
 */
public record ListOffsetsRequest(byte isolationLevel, List<ListOffsetsTopic> topics) implements ApiRequest {
    /** Timestamp asking for the log start offset. */
    public static final long EARLIEST_TIMESTAMP = -2L;
    /** Timestamp asking for the log end offset (or last stable offset under READ_COMMITTED). */
    public static final long LATEST_TIMESTAMP = -1L;

    /**
     * One partition to look up.
     *
     * @param partitionIndex     the partition
     * @param currentLeaderEpoch the epoch the client believes current, -1 to skip the check
     * @param timestamp          -2 earliest, -1 latest, else the first offset whose timestamp is at or after it
     */
    public record ListOffsetsPartition(int partitionIndex, int currentLeaderEpoch, long timestamp) {
        public static final Schema<ListOffsetsPartition> SCHEMA = Schema.of(ListOffsetsPartition.class,
                CommonFields.PARTITION_INDEX,
                Field.of("currentLeaderEpoch", Types.INT32, "The leader epoch the client believes current, -1 to skip the check."),
                Field.of("timestamp", Types.INT64, "-2: the earliest offset (log start); -1: the latest (log end, or last "
                        + "stable offset under READ_COMMITTED); otherwise the first offset whose record timestamp is at or "
                        + "after this many ms since the epoch."));
    }

    /**
     * One topic to look up.
     *
     * @param name       the topic
     * @param partitions the partitions
     */
    public record ListOffsetsTopic(String name, List<ListOffsetsPartition> partitions) {
        public static final Schema<ListOffsetsTopic> SCHEMA = Schema.of(ListOffsetsTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(ListOffsetsPartition.SCHEMA), "The partitions to look up."));
    }

    public static final Schema<ListOffsetsRequest> SCHEMA = Schema.of(ListOffsetsRequest.class,
            Field.of("isolationLevel", Types.INT8, "0 READ_UNCOMMITTED, 1 READ_COMMITTED (bounds the latest offset by the last stable offset)."),
            Field.of("topics", Types.array(ListOffsetsTopic.SCHEMA), "What to look up, per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_OFFSETS;
    }
}
