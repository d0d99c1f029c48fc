package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;

/**
 * Fetch response.
 *
 * <p>Zero copy: the broker builds partitions with {@code RecordBytes.of(fileSlice)}; the encoder
 * emits the slices as chunks of their own, which the broker writes with {@code DefaultFileRegion}.
 * Encoding takes no ownership: in-memory records are retained for the frame's chunks, so the
 * broker still releases its own references, and a file slice must stay readable until written.
 * A decoded response holds each partition's records as {@link RecordBytes.InMemory}, a retained
 * slice of the frame; the client releases them ({@link #release()}) once consumed.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param topics       data per topic
 */
public record FetchResponse(short errorCode, String errorMessage, List<TopicResponse> topics) implements ApiResponse {

    /**
     * One partition's data.
     *
     * @param partitionIndex   the partition
     * @param errorCode        error for this partition
     * @param highWatermark    the high watermark
     * @param lastStableOffset the last stable offset
     * @param logStartOffset   the log start offset
     * @param records          whole record batches, or null
     */
    public record PartitionData(int partitionIndex, short errorCode, long highWatermark, long lastStableOffset,
                                long logStartOffset, RecordBytes records) {
        public static final Schema<PartitionData> SCHEMA = Schema.of(PartitionData.class,
                CommonFields.PARTITION_INDEX,
                CommonFields.ITEM_ERROR_CODE,
                Field.of("highWatermark", Types.INT64, "The offset after the last committed record, -1 on error."),
                Field.of("lastStableOffset", Types.INT64,
                        "The last stable offset (equal to the high watermark without transactions), -1 on error."),
                Field.of("logStartOffset", Types.INT64, "The first offset still in the log, -1 on error."),
                Field.of("records", Types.RECORD_BYTES, "Whole record batches from fetchOffset on (the batch holding "
                        + "fetchOffset may start before it); null or empty if there are none. Each batch header "
                        + "outside the CRC (base offset, length, magic, offset delta, leader epoch) is checked against "
                        + "the log before it is sent; a damaged one is never sent: the partition answers "
                        + "STORAGE_ERROR with the file and position instead."));
    }

    /**
     * One topic's data.
     *
     * @param name       the topic
     * @param partitions per partition
     */
    public record TopicResponse(String name, List<PartitionData> partitions) {
        public static final Schema<TopicResponse> SCHEMA = Schema.of(TopicResponse.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(PartitionData.SCHEMA), "Data per partition."));
    }

    public static final Schema<FetchResponse> SCHEMA = Schema.of(FetchResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("topics", Types.array(TopicResponse.SCHEMA), "Data per topic."));

    /** Releases every partition's in-memory records; for the holder of a decoded response. */
    public void release() {
        SCHEMA.release(this);
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.FETCH;
    }
}
