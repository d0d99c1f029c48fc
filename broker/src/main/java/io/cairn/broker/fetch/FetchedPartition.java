package io.cairn.broker.fetch;

import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.FileSlice;
import io.cairn.storage.TopicPartition;

/**
 * One partition's part of a fetch answer.
 *
 * @param error          {@link ErrorCode#NONE}, {@code UNKNOWN_TOPIC_OR_PARTITION} or {@code OFFSET_OUT_OF_RANGE}
 * @param message        why, for an error; null otherwise
 * @param highWatermark  offsets below are visible; -1 if the partition is unknown
 * @param logStartOffset the first offset still in the log; -1 if the partition is unknown
 * @param logEndOffset   the offset the next record will get; -1 if the partition is unknown
 * @param records        whole batches from the log file (sent with sendfile), or null when none
 * @param recordCount    records in {@code records} if storage counted them while reading; -1 if not
 */
public record FetchedPartition(TopicPartition topicPartition, ErrorCode error, String message,
                               long highWatermark, long logStartOffset, long logEndOffset, FileSlice records,
                               long recordCount) {

    /** A partition answer without records (an error, or nothing to send). */
    public FetchedPartition(TopicPartition topicPartition, ErrorCode error, String message,
                            long highWatermark, long logStartOffset, long logEndOffset, FileSlice records) {
        this(topicPartition, error, message, highWatermark, logStartOffset, logEndOffset, records,
                records == null ? 0 : -1);
    }

    public int recordBytes() {
        return records == null ? 0 : records.length();
    }
}
