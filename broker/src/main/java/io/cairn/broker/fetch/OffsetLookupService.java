package io.cairn.broker.fetch;

import io.cairn.broker.partition.Partition;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.broker.partition.PartitionLog;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.storage.TopicPartition;
import java.util.Objects;

/**
 * Finds offsets by position or time (ListOffsets), without wire format:
 * {@link #EARLIEST_TIMESTAMP} gives the log start offset, {@link #LATEST_TIMESTAMP} the high
 * watermark (the next offset a consumer will see), any other timestamp the first offset below
 * the high watermark whose record timestamp is at or after it, found through the time index.
 *
 * <p>A timestamp lookup may read the log file (index then batch headers): call it off the event
 * loop. Thread-safe.
 */
public final class OffsetLookupService {
    public static final long LATEST_TIMESTAMP = -1L;
    public static final long EARLIEST_TIMESTAMP = -2L;

    private final PartitionRegistry partitions;

    public OffsetLookupService(PartitionRegistry partitions) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
    }

    public ListedOffset lookup(TopicPartition tp, long timestamp) {
        Partition partition = partitions.partition(tp);
        if (partition == null) {
            return new ListedOffset(tp, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                    "topic " + tp.topic() + " has no partition " + tp.partition(), -1, -1);
        }
        PartitionLog log = partition.log();
        if (timestamp == EARLIEST_TIMESTAMP) {
            return new ListedOffset(tp, ErrorCode.NONE, null, -1, log.logStartOffset());
        }
        if (timestamp == LATEST_TIMESTAMP) {
            return new ListedOffset(tp, ErrorCode.NONE, null, -1, log.highWatermark());
        }
        if (timestamp < 0) {
            return new ListedOffset(tp, ErrorCode.INVALID_REQUEST, "timestamp " + timestamp + " for " + tp
                    + " is neither -1 (latest), -2 (earliest) nor a time", -1, -1);
        }
        try {
            return log.offsetForTimestamp(timestamp)
                    .map(found -> new ListedOffset(tp, ErrorCode.NONE, null, found.timestamp(), found.offset()))
                    .orElseGet(() -> new ListedOffset(tp, ErrorCode.NONE, null, -1, -1));
        } catch (RuntimeException e) {
            return new ListedOffset(tp, ErrorCode.STORAGE_ERROR, "lookup of timestamp " + timestamp + " in " + tp
                    + " failed: " + e.getMessage(), -1, -1);
        }
    }
}
