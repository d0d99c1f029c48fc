package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/** {@code INVALID_CONFIG}: A topic config given to create or alter a topic was rejected. */
public class InvalidConfigurationException extends BrokerException {
    /** Creates the exception; {@code context} names the topic or partition. */
    public InvalidConfigurationException(String context, String brokerMessage) {
        super(ErrorCode.INVALID_CONFIG, context, brokerMessage);
    }
}
