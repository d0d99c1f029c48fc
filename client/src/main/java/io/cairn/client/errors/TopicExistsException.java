package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/** {@code TOPIC_ALREADY_EXISTS}: A topic to create already exists. */
public class TopicExistsException extends BrokerException {
    /** Creates the exception; {@code context} names the topic or partition. */
    public TopicExistsException(String context, String brokerMessage) {
        super(ErrorCode.TOPIC_ALREADY_EXISTS, context, brokerMessage);
    }
}
