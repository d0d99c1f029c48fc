package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/** {@code UNKNOWN_TOPIC_OR_PARTITION}: The topic or partition does not exist on the broker (it may still be being created). */
public class UnknownTopicOrPartitionException extends BrokerException {
    /** Creates the exception; {@code context} names the topic or partition. */
    public UnknownTopicOrPartitionException(String context, String brokerMessage) {
        super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, context, brokerMessage);
    }
}
