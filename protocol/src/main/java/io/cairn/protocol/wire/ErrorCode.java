package io.cairn.protocol.wire;

import io.cairn.protocol.types.DecodeError;

/**
 * Error codes carried in responses, with Kafka's names and numbers (Kafka's
 * {@code KAFKA_STORAGE_ERROR} is {@link #STORAGE_ERROR} here). A retriable error may succeed if
 * the same request is sent again, possibly after refreshing metadata.
 */
public enum ErrorCode {
    UNKNOWN_SERVER_ERROR(-1, false, "The server experienced an unexpected error when processing the request."),
    NONE(0, false, "No error."),
    OFFSET_OUT_OF_RANGE(1, false, "The requested offset is not within the range of offsets maintained by the server."),
    CORRUPT_MESSAGE(2, true, "The record batch failed its CRC check, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."),
    UNKNOWN_TOPIC_OR_PARTITION(3, true, "This server does not host this topic-partition."),
    LEADER_NOT_AVAILABLE(5, true, "There is no leader for this topic-partition as we are in the middle of a leadership election or topic creation."),
    NOT_LEADER_OR_FOLLOWER(6, true, "This server is not the leader for that topic-partition."),
    REQUEST_TIMED_OUT(7, true, "The request timed out."),
    MESSAGE_TOO_LARGE(10, false, "The request included a record batch larger than the max message size the server will accept."),
    COORDINATOR_LOAD_IN_PROGRESS(14, true, "The coordinator is loading and hence can't process requests."),
    COORDINATOR_NOT_AVAILABLE(15, true, "The coordinator is not available."),
    NOT_COORDINATOR(16, true, "This is not the correct coordinator."),
    INVALID_TOPIC_EXCEPTION(17, false, "The request attempted to perform an operation on an invalid topic."),
    RECORD_LIST_TOO_LARGE(18, false, "The request included record batches larger than the max segment size."),
    INVALID_REQUIRED_ACKS(21, false, "Produce request specified an invalid value for required acks."),
    ILLEGAL_GENERATION(22, false, "Specified group generation id is not valid."),
    INVALID_GROUP_ID(24, false, "The configured groupId is invalid."),
    UNKNOWN_MEMBER_ID(25, false, "The coordinator is not aware of this member."),
    INVALID_SESSION_TIMEOUT(26, false, "The session timeout is not within the range allowed by the broker."),
    INVALID_COMMIT_OFFSET_SIZE(28, false, "The committing offset data size is not valid."),
    INVALID_TIMESTAMP(32, false, "The timestamp of the record batch is out of acceptable range."),
    UNSUPPORTED_VERSION(35, false, "The version of the API is not supported, or the API key is unknown."),
    TOPIC_ALREADY_EXISTS(36, false, "Topic with this name already exists."),
    INVALID_PARTITIONS(37, false, "Number of partitions is below 1 or not more than the current count."),
    INVALID_REPLICATION_FACTOR(38, false, "Replication factor is below 1 or larger than the number of available brokers."),
    INVALID_CONFIG(40, false, "Configuration is invalid."),
    INVALID_REQUEST(42, false, "The request is malformed or does not parse in the version it claims."),
    POLICY_VIOLATION(44, false, "Request parameters do not satisfy the configured policy."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(45, false, "The broker received an out of order sequence number."),
    DUPLICATE_SEQUENCE_NUMBER(46, false, "The broker received a duplicate sequence number."),
    INVALID_PRODUCER_EPOCH(47, false, "Producer attempted to produce with an old epoch."),
    STORAGE_ERROR(56, true, "Disk error when trying to access the log file on disk."),
    UNKNOWN_PRODUCER_ID(59, false, "The broker could not locate the producer metadata associated with the producer id."),
    NON_EMPTY_GROUP(68, false, "The group is not empty."),
    GROUP_ID_NOT_FOUND(69, false, "The group id does not exist."),
    UNSUPPORTED_COMPRESSION_TYPE(76, false, "The requesting client does not support the compression type of the given partition."),
    GROUP_SUBSCRIBED_TO_TOPIC(86, false, "The consumer group is actively subscribed to the topic."),
    INVALID_RECORD(87, false, "A record failed validation on the broker and was rejected."),
    FENCED_MEMBER_EPOCH(110, false, "The member epoch is fenced by the group coordinator; the member must abandon its partitions and rejoin."),
    UNRELEASED_INSTANCE_ID(111, false, "The instance id is still used by another member in the consumer group."),
    UNSUPPORTED_ASSIGNOR(112, false, "The assignor or its version range is not supported by the consumer group."),
    STALE_MEMBER_EPOCH(113, false, "The member epoch is stale; the member must retry after receiving its updated epoch in a heartbeat.");

    private static final int MIN_CODE = -1;
    private static final ErrorCode[] BY_CODE;

    static {
        int max = 0;
        for (ErrorCode e : values()) {
            max = Math.max(max, e.code);
        }
        BY_CODE = new ErrorCode[max - MIN_CODE + 1];
        for (ErrorCode e : values()) {
            BY_CODE[e.code - MIN_CODE] = e;
        }
    }

    private final short code;
    private final boolean retriable;
    private final String defaultMessage;

    ErrorCode(int code, boolean retriable, String defaultMessage) {
        this.code = (short) code;
        this.retriable = retriable;
        this.defaultMessage = defaultMessage;
    }

    /** The i16 on the wire. */
    public short code() {
        return code;
    }

    /** Whether the same request may succeed when retried. */
    public boolean retriable() {
        return retriable;
    }

    /** A sentence describing the error, used when a response carries no message of its own. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** The error with this code; an unknown code (from a newer broker) maps to {@link #UNKNOWN_SERVER_ERROR}. */
    public static ErrorCode forCode(int code) {
        int index = code - MIN_CODE;
        ErrorCode e = index >= 0 && index < BY_CODE.length ? BY_CODE[index] : null;
        return e == null ? UNKNOWN_SERVER_ERROR : e;
    }

    /** The code a broker answers with when a request fails to decode for {@code error}. */
    public static ErrorCode forDecodeError(DecodeError error) {
        return switch (error) {
            case UNKNOWN_API_KEY, UNSUPPORTED_VERSION -> UNSUPPORTED_VERSION;
            default -> INVALID_REQUEST;
        };
    }
}
