package io.cairn.broker.partition;

/**
 * Expected outcomes of the data-path services (append, fetch, offsets lookup) for one partition.
 * Front ends map them to their protocol's error codes; the names follow Kafka's.
 */
public enum PartitionError {
    NONE,
    UNKNOWN_TOPIC_OR_PARTITION,
    /** A batch failed its CRC or its structure is broken. */
    CORRUPT_MESSAGE,
    /** A batch is well formed but breaks a rule (bad magic, offsets, idempotence fields, compression). */
    INVALID_RECORD,
    /** A batch over {@code max.message.bytes}. */
    MESSAGE_TOO_LARGE,
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    INVALID_PRODUCER_EPOCH,
    OFFSET_OUT_OF_RANGE,
    /** The request itself is malformed (e.g. an undefined special timestamp). */
    INVALID_REQUEST,
    /** The log could not be written or read (I/O failure, log offline). */
    STORAGE_ERROR
}
