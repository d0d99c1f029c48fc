package io.cairn.broker.metadata;

/**
 * Expected outcomes of topic administration, mapped to protocol error codes by the request
 * handlers (Kafka's equivalent in brackets).
 */
public enum TopicError {
    NONE,
    /** Name breaks {@link TopicNames} rules [INVALID_TOPIC_EXCEPTION]. */
    INVALID_TOPIC_NAME,
    /** A user tried to create or delete an internal ({@code __}) topic [INVALID_REQUEST / POLICY_VIOLATION]. */
    RESERVED_TOPIC_NAME,
    /** [TOPIC_ALREADY_EXISTS] */
    TOPIC_ALREADY_EXISTS,
    /** The name is still being deleted; retry later [TOPIC_ALREADY_EXISTS with a message]. */
    TOPIC_BEING_DELETED,
    /** [UNKNOWN_TOPIC_OR_PARTITION] */
    UNKNOWN_TOPIC,
    /** Partition count below 1, above {@code max.partitions.per.topic}, or not an increase [INVALID_PARTITIONS]. */
    INVALID_PARTITIONS,
    /** Unknown topic config key or invalid value [INVALID_CONFIG]. */
    INVALID_CONFIG,
    /** Creating or deleting partition directories failed [KAFKA_STORAGE_ERROR]. */
    STORAGE_ERROR
}
