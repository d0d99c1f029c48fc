package io.cairn.client.errors;

import io.cairn.protocol.wire.ErrorCode;

/** {@code OFFSET_OUT_OF_RANGE}: A fetch or seek asked for an offset outside the partition's retained log. */
public class OffsetOutOfRangeException extends BrokerException {
    /** Creates the exception; {@code context} names the topic or partition. */
    public OffsetOutOfRangeException(String context, String brokerMessage) {
        super(ErrorCode.OFFSET_OUT_OF_RANGE, context, brokerMessage);
    }
}
