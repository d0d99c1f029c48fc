package io.cairn.broker.api;

import io.cairn.broker.metadata.TopicError;
import io.cairn.broker.metadata.TopicResult;
import io.cairn.protocol.wire.ErrorCode;

/** How the outcomes of topic administration appear on the wire (Kafka's codes). Stateless. */
final class AdminErrors {
    private AdminErrors() {
    }

    /**
     * The error code for a registry outcome. A reserved (internal) name is INVALID_TOPIC_EXCEPTION
     * when creating (the name is not allowed) and POLICY_VIOLATION for any other operation (the
     * topic exists but belongs to the broker).
     */
    static ErrorCode code(TopicError error, boolean creating) {
        return switch (error) {
            case NONE -> ErrorCode.NONE;
            case INVALID_TOPIC_NAME -> ErrorCode.INVALID_TOPIC_EXCEPTION;
            case RESERVED_TOPIC_NAME -> creating ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.POLICY_VIOLATION;
            case TOPIC_ALREADY_EXISTS, TOPIC_BEING_DELETED -> ErrorCode.TOPIC_ALREADY_EXISTS;
            case UNKNOWN_TOPIC -> ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            case INVALID_PARTITIONS -> ErrorCode.INVALID_PARTITIONS;
            case INVALID_CONFIG -> ErrorCode.INVALID_CONFIG;
            case STORAGE_ERROR -> ErrorCode.STORAGE_ERROR;
        };
    }

    static short code(TopicResult result, boolean creating) {
        return code(result.error(), creating).code();
    }

    /** The requester for admin logs: "client 'x' at host:port". */
    static String requester(RequestContext context) {
        return "client '" + context.clientId() + "' at " + context.connection().remote();
    }
}
