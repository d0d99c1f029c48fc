package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/** {@code OUT_OF_ORDER_SEQUENCE_NUMBER}: The broker saw a gap in an idempotent producer's sequence numbers: records may have been lost. */
public class OutOfOrderSequenceException extends BrokerException {
    /** Creates the exception; {@code context} names the topic or partition. */
    public OutOfOrderSequenceException(String context, String brokerMessage) {
        super(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, context, brokerMessage);
    }
}
