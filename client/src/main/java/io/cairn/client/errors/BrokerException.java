package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/**
 * The broker answered with an error code. The message starts with the code's name, then says what
 * the request was about (topic, partition, group) and gives the broker's own message, e.g.
 * {@code "TOPIC_ALREADY_EXISTS: create topic orders: Topic 'orders' already exists."}.
 * {@link #of} returns the specific subclass for codes applications commonly act on.
 */
public class BrokerException extends CairnException {
    private final ErrorCode errorCode;

    /** Creates the exception for {@code errorCode}; {@code context} names what the request was about. */
    public BrokerException(ErrorCode errorCode, String context, String brokerMessage) {
        super(format(errorCode, context, brokerMessage));
        this.errorCode = errorCode;
    }

    /** The exception for {@code errorCode}: a specific subclass where one exists. */
    public static BrokerException of(ErrorCode errorCode, String context, String brokerMessage) {
        return switch (errorCode) {
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(context, brokerMessage);
            case TOPIC_ALREADY_EXISTS -> new TopicExistsException(context, brokerMessage);
            case OFFSET_OUT_OF_RANGE -> new OffsetOutOfRangeException(context, brokerMessage);
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> new OutOfOrderSequenceException(context, brokerMessage);
            case INVALID_CONFIG -> new InvalidConfigurationException(context, brokerMessage);
            default -> new BrokerException(errorCode, context, brokerMessage);
        };
    }

    /** The broker's error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Whether the same request may succeed when sent again (after a metadata refresh). */
    public boolean isRetriable() {
        return errorCode.retriable();
    }

    private static String format(ErrorCode code, String context, String brokerMessage) {
        String message = brokerMessage == null || brokerMessage.isBlank() ? code.defaultMessage() : brokerMessage;
        return code.name() + (context == null || context.isEmpty() ? "" : ": " + context) + ": " + message;
    }
}
