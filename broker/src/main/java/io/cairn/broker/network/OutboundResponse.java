package io.cairn.broker.network;

import io.cairn.protocol.wire.EncodedFrame;
import io.netty.buffer.ByteBufAllocator;

/**
 * A response that is ready but not yet encoded. The network layer encodes it on the
 * connection's event loop right before writing it, so buffers are allocated from that loop's
 * pool cache whichever thread completed the request.
 */
public interface OutboundResponse {

    /**
     * Encodes the response frame. Called once, on the connection's event loop. Must not throw:
     * an implementation falls back to an error frame if the response cannot be encoded.
     */
    EncodedFrame encode(ByteBufAllocator alloc);

    /** Drops the response unencoded (the connection closed first), releasing what it holds. */
    void discard();

    /** A response encoded already. */
    static OutboundResponse of(EncodedFrame frame) {
        return new OutboundResponse() {
            @Override
            public EncodedFrame encode(ByteBufAllocator alloc) {
                return frame;
            }

            @Override
            public void discard() {
                frame.release();
            }
        };
    }
}
