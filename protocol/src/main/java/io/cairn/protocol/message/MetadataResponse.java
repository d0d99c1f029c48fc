package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.ApiKey;
import java.util.List;
import java.util.UUID;

/**
 * Metadata response.
 *
 * @param errorCode    request-level error
 * @param errorMessage request-level message, or null
 * @param brokers      the brokers of the cluster
 * @param clusterId    the cluster id, or null
 * @param topics       one entry per topic asked for (or every topic)
 */
public record MetadataResponse(short errorCode, String errorMessage, List<Broker> brokers, String clusterId,
                               List<Topic> topics) implements ApiResponse {

    /**
     * A broker's address.
     *
     * @param nodeId the broker id
     * @param host   host name clients connect to
     * @param port   port clients connect to
     * @param rack   rack, or null
     */
    public record Broker(int nodeId, String host, int port, String rack) {
        public static final Schema<Broker> SCHEMA = Schema.of(Broker.class,
                Field.of("nodeId", Types.INT32, "The broker id."),
                Field.of("host", Types.STRING, "The host name clients connect to."),
                Field.of("port", Types.INT32, "The port clients connect to."),
                Field.of("rack", Types.NULLABLE_STRING, "The broker's rack, or null."));
    }

    /**
     * A partition, its leader and, from version 1, its log: offsets, size on disk and segments.
     * Values a version does not carry, or the broker does not know (the partition's log is
     * offline), are -1.
     *
     * @param errorCode      error for this partition (e.g. LEADER_NOT_AVAILABLE)
     * @param partitionIndex the partition number
     * @param leaderId       the leader's broker id, -1 if none
     * @param leaderEpoch    the leader epoch, -1 if unknown
     * @param logStartOffset the first offset still in the log (v1+), -1 if unknown
     * @param logEndOffset   the offset the next record will get (v1+), -1 if unknown
     * @param sizeInBytes    bytes of all the log's segment files (v1+), -1 if unknown
     * @param segmentCount   segments of the log, the active one included (v1+), -1 if unknown
     */
    public record Partition(short errorCode, int partitionIndex, int leaderId, int leaderEpoch, long logStartOffset,
                            long logEndOffset, long sizeInBytes, int segmentCount) {
        /** Value of the log fields when unknown, and when decoded from version 0. */
        public static final int UNKNOWN = -1;

        public static final Schema<Partition> SCHEMA = Schema.of(Partition.class,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.PARTITION_INDEX,
                Field.of("leaderId", Types.INT32, "The broker id of the partition's leader, -1 if there is none."),
                Field.of("leaderEpoch", Types.INT32, "The leader epoch of the partition, -1 if unknown."),
                Field.of("logStartOffset", Types.INT64,
                        "The first offset still in the partition's log, -1 if unknown (the log is offline).")
                        .since(1).withDefault((long) UNKNOWN),
                Field.of("logEndOffset", Types.INT64,
                        "The offset the next record appended to the partition will get, -1 if unknown.")
                        .since(1).withDefault((long) UNKNOWN),
                Field.of("sizeInBytes", Types.INT64,
                        "Bytes of all the partition's segment files on disk (indexes not counted), -1 if unknown.")
                        .since(1).withDefault((long) UNKNOWN),
                Field.of("segmentCount", Types.INT32,
                        "Segments of the partition's log, the active one included, -1 if unknown.")
                        .since(1).withDefault(UNKNOWN));

        /** A partition without log information: what version 0 carries. */
        public Partition(short errorCode, int partitionIndex, int leaderId, int leaderEpoch) {
            this(errorCode, partitionIndex, leaderId, leaderEpoch, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
        }
    }

    /**
     * A topic and its partitions.
     *
     * @param errorCode  error for this topic (e.g. UNKNOWN_TOPIC_OR_PARTITION)
     * @param name       the topic name
     * @param topicId    the topic id, zero UUID if unknown
     * @param isInternal whether the topic is internal (e.g. {@code __consumer_offsets})
     * @param partitions the partitions
     */
    public record Topic(short errorCode, String name, UUID topicId, boolean isInternal, List<Partition> partitions) {
        public static final Schema<Topic> SCHEMA = Schema.of(Topic.class,
                CommonFields.ITEM_ERROR_CODE,
                CommonFields.TOPIC_NAME,
                Field.of("topicId", Types.UUID, "The topic id, assigned at creation; all zeros if unknown."),
                Field.of("isInternal", Types.BOOL, "Whether the topic is internal, such as __consumer_offsets."),
                Field.of("partitions", Types.array(Partition.SCHEMA), "The topic's partitions."));
    }

    public static final Schema<MetadataResponse> SCHEMA = Schema.of(MetadataResponse.class,
            CommonFields.ERROR_CODE,
            CommonFields.ERROR_MESSAGE,
            Field.of("brokers", Types.array(Broker.SCHEMA), "The brokers of the cluster."),
            Field.of("clusterId", Types.NULLABLE_STRING, "The cluster id, or null."),
            Field.of("topics", Types.array(Topic.SCHEMA), "One entry per topic asked for, or every topic."));

    @Override
    public ApiKey apiKey() {
        return ApiKey.METADATA;
    }
}
