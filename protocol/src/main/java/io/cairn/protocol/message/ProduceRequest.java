package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Produce request: record batches to append, per topic and partition.
 *
 * <p>Ownership: a decoded request holds one reference to each partition's {@code records}, a
 * retained slice of the frame (no copy). The frame can be released right after decoding; the
 * broker releases the records ({@link #release()}) once they are appended or refused. Encoding
 * neither consumes nor releases the caller's buffers.
 *
 * @param acks      0 (no response), 1 (leader appended) or -1 (all: fsynced on a single broker)
 * @param timeoutMs how long to wait for acks
 * @param topics    the data per topic
 */
public record ProduceRequest(short acks, int timeoutMs, List<TopicData> topics) implements ApiRequest {
    /** acks=0: the broker sends no response. */
    public static final short ACKS_NONE = 0;
    /** acks=1: answered once appended. */
    public static final short ACKS_LEADER = 1;
    /** acks=-1 (all): answered once fsynced. */
    public static final short ACKS_ALL = -1;

    /**
     * One partition's batches.
     *
     * @param partitionIndex the partition
     * @param records        record batches (RecordBatch v2), or null
     */
    public record PartitionData(int partitionIndex, ByteBuf records) {
        public static final Schema<PartitionData> SCHEMA = Schema.of(PartitionData.class,
                CommonFields.PARTITION_INDEX,
                Field.of("records", Types.RECORDS,
                        "One or more whole record batches (RecordBatch v2). The broker assigns their offsets and sets "
                                + "each batch's partitionLeaderEpoch to the partition's leader epoch (0 on a single "
                                + "broker; the field is outside the CRC). Batches of an idempotent producer must all "
                                + "carry its producerId and epoch with consecutive sequences (else INVALID_RECORD); each "
                                + "is checked as if it came alone, and they are appended together. New batches behind "
                                + "duplicates are appended only where they follow those duplicates directly in the log "
                                + "(else INVALID_RECORD, nothing appended)."));
    }

    /**
     * One topic's partitions.
     *
     * @param name       the topic
     * @param partitions the partitions
     */
    public record TopicData(String name, List<PartitionData> partitions) {
        public static final Schema<TopicData> SCHEMA = Schema.of(TopicData.class,
                CommonFields.TOPIC_NAME,
                Field.of("partitions", Types.array(PartitionData.SCHEMA), "The partitions to append to."));
    }

    public static final Schema<ProduceRequest> SCHEMA = Schema.of(ProduceRequest.class,
            Field.of("acks", Types.INT16, "0: no response; 1: answer once appended; -1 (all): answer once fsynced "
                    + "(group commit). Anything else is INVALID_REQUIRED_ACKS."),
            Field.of("timeoutMs", Types.INT32, "How long the broker may wait for the acks before answering REQUEST_TIMED_OUT."),
            Field.of("topics", Types.array(TopicData.SCHEMA), "The data to append, per topic."));

    /** Releases every partition's records buffer; for the holder of a decoded request. */
    public void release() {
        SCHEMA.release(this);
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.PRODUCE;
    }
}
