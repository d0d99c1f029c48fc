package io.cairn.protocol.record;

/**
 * Byte layout of a record batch: the public Kafka RecordBatch v2 format (magic = 2), byte for byte.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        baseOffset (i64)                       |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       batchLength (i32)                       |  8   bytes after this field
 *  +---------------------------------------------------------------+
 *  |                  partitionLeaderEpoch (i32)                   |  12
 *  +---------------+-----------------------------------------------+
 *  |  magic (i8)   |                  crc (u32) ...                |  16
 *  +---------------+-------------------------------+---------------+
 *  |  ... crc      |        attributes (i16)       |  lastOffset.. |  21  CRC32C covers 21..end
 *  +---------------+-------------------------------+---------------+
 *  |  ..Delta (i32)                 | baseTimestamp (i64) ...       |  23
 *  |  maxTimestamp (i64) @35, producerId (i64) @43,                 |
 *  |  producerEpoch (i16) @51, baseSequence (i32) @53,              |
 *  |  recordCount (i32) @57                                         |
 *  +---------------------------------------------------------------+
 *  |  records ... @61                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The CRC covers everything from {@code attributes} to the end of the batch, so the broker
 * assigns offsets by overwriting {@code baseOffset} (and may stamp {@code partitionLeaderEpoch})
 * without recomputing it. Those header bytes are checked structurally instead (offset continuity,
 * length consistency).
 *
 * <p>Attributes: bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd), bit 3 timestamp
 * type (0 create time, 1 log-append time), bit 4 transactional, bit 5 control batch.
 */
public final class RecordBatchDescriptor {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BASE_OFFSET_LENGTH = 8;
    public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + BASE_OFFSET_LENGTH;
    public static final int LENGTH_LENGTH = 4;
    /** Bytes before {@code partitionLeaderEpoch}: baseOffset + batchLength. batchLength counts what follows. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + LENGTH_LENGTH;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = LOG_OVERHEAD;
    public static final int PARTITION_LEADER_EPOCH_LENGTH = 4;
    public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + PARTITION_LEADER_EPOCH_LENGTH;
    public static final int MAGIC_LENGTH = 1;
    public static final int CRC_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    public static final int CRC_LENGTH = 4;
    public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + CRC_LENGTH;
    public static final int ATTRIBUTES_LENGTH = 2;
    public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTES_LENGTH;
    public static final int LAST_OFFSET_DELTA_LENGTH = 4;
    public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + LAST_OFFSET_DELTA_LENGTH;
    public static final int BASE_TIMESTAMP_LENGTH = 8;
    public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + BASE_TIMESTAMP_LENGTH;
    public static final int MAX_TIMESTAMP_LENGTH = 8;
    public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + MAX_TIMESTAMP_LENGTH;
    public static final int PRODUCER_ID_LENGTH = 8;
    public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + PRODUCER_ID_LENGTH;
    public static final int PRODUCER_EPOCH_LENGTH = 2;
    public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + PRODUCER_EPOCH_LENGTH;
    public static final int BASE_SEQUENCE_LENGTH = 4;
    public static final int RECORDS_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
    public static final int RECORDS_COUNT_LENGTH = 4;
    public static final int RECORDS_OFFSET = RECORDS_COUNT_OFFSET + RECORDS_COUNT_LENGTH;
    /** Size of a batch with no records. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Smallest legal value of the {@code batchLength} field. */
    public static final int MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD;

    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;

    /** producerId, producerEpoch and baseSequence of a batch sent without idempotence. */
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private RecordBatchDescriptor() {
    }
}
