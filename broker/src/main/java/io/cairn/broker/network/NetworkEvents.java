package io.cairn.broker.network;

import io.cairn.protocol.wire.FrameError;
import java.net.SocketAddress;

/**
 * Things that happen to connections which an operator may want to see: bad input that forces a
 * close, refused connections, failures. Called on event loops; implementations must be
 * thread-safe and must not block.
 */
public interface NetworkEvents {

    /** A connection was accepted; {@code open} connections now exist, this one included. */
    void connectionOpened(Connection connection, int open);

    /** A connection closed; {@code open} remain. */
    void connectionClosed(Connection connection, int open);

    /** An accepted connection was closed at once because {@code max.connections} are open. */
    void connectionRejected(SocketAddress remote, int open, int maxConnections);

    /** A frame header claimed more than {@code max.frame.bytes}; the connection is being closed. */
    void badFrame(Connection connection, FrameError error);

    /**
     * A frame began {@code waitedMs} ago and has not arrived whole ({@code bufferedBytes} of it
     * so far) within {@code frame.read.timeout.ms}; the connection is being closed.
     */
    void slowFrame(Connection connection, int bufferedBytes, long waitedMs);

    /** A frame whose request header did not parse; the connection is being closed. */
    void unframeableRequest(Connection connection, UnframeableRequestException problem);

    /** The request processor failed instead of producing a response (a bug); the connection is being closed. */
    void processorFailed(Connection connection, Throwable cause);

    /** An unexpected exception in the connection's pipeline; the connection is being closed. */
    void pipelineFailed(Connection connection, Throwable cause);

    /** Writing a response failed; the connection is being closed. */
    void writeFailed(Connection connection, Throwable cause);
}
