package io.cairn.broker.network;

/**
 * A request frame so broken that no response can be addressed to it (its header does not parse,
 * so there is no correlation id): the connection is closed and the event logged. The message
 * says what was wrong, e.g. "request header: field clientId: length 300 exceeds remaining 4 bytes".
 */
public final class UnframeableRequestException extends RuntimeException {
    private final int frameType;

    public UnframeableRequestException(int frameType, String message) {
        super(message, null, false, false);
        this.frameType = frameType;
    }

    public int frameType() {
        return frameType;
    }
}
