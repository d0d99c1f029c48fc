package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * Fetch request: read record batches from offsets, long-polling until {@code minBytes} are
 * available or {@code maxWaitMs} passes.
 *
 * @param maxWaitMs      the longest the broker waits for minBytes
 * @param minBytes       the least data worth answering with
 * @param maxBytes       the most data in the response (soft: the first batch is always whole)
 * @param isolationLevel {@link #READ_UNCOMMITTED} or {@link #READ_COMMITTED}
 * @param topics         what to fetch
 */
public record FetchRequest(int maxWaitMs, int minBytes, int maxBytes, byte isolationLevel, List<FetchTopic> topics)
        implements ApiRequest {
    /** Read up to the high watermark. */
    public static final byte READ_UNCOMMITTED = 0;
    /** Read up to the last stable offset. */
    public static final byte READ_COMMITTED = 1;

    /**
     * One partition to fetch.
     *
     * @param partitionIndex     the partition
     * @param currentLeaderEpoch the epoch the client believes current, -1 to skip the check
     * @param fetchOffset        the first offset wanted
     * @param logStartOffset     the follower's log start offset; -1 for consumers
     * @param partitionMaxBytes  the most data for this partition (soft, as maxBytes)
     */
    public record FetchPartition(int partitionIndex, int currentLeaderEpoch, long fetchOffset, long logStartOffset,
                                 int partitionMaxBytes) {
        public static final Schema<FetchPartition> SCHEMA = Schema.of(FetchPartition.class,
                CommonFields.PARTITION_INDEX,
                Field.of("currentLeaderEpoch", Types.INT32, "The leader epoch the client believes current, -1 to skip the check."),
                Field.of("fetchOffset", Types.INT64, "The first offset wanted."),
                Field.of("logStartOffset", Types.INT64, "The fetcher's log start offset (for followers); -1 for consumers."),
                Field.of("partitionMaxBytes", Types.INT32,
                        "The most bytes of records for this partition; the first batch is sent whole even if larger."));
    }

    /**
     * One topic to fetch.
     *
     * @param name       the topic
     * @param partitions the partitions
     */
    public record FetchTopic(String name, List<FetchPartition> partitions) {
        public static final Schema<FetchTopic> SCHEMA = Schema.of(FetchTopic.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(FetchPartition.SCHEMA), "The partitions to fetch."));
    }

    public static final Schema<FetchRequest> SCHEMA = Schema.of(FetchRequest.class,
            Field.of("maxWaitMs", Types.INT32, "The longest the broker waits for minBytes before answering."),
            Field.of("minBytes", Types.INT32, "The least bytes of records worth answering with; 0 answers at once."),
            Field.of("maxBytes", Types.INT32,
                    "The most bytes of records in the response; the first batch is sent whole even if larger."),
            Field.of("isolationLevel", Types.INT8, "0 READ_UNCOMMITTED (up to the high watermark), "
                    + "1 READ_COMMITTED (up to the last stable offset)."),
            Field.of("topics", Types.array(FetchTopic.SCHEMA), "What to fetch, per topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.FETCH;
    }
}
