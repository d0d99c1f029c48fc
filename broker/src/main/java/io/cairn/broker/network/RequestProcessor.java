package io.cairn.broker.network;

import io.cairn.protocol.wire.Frame;
import java.util.concurrent.CompletableFuture;

/**
 * The layer above the network: turns request frames into responses. The network layer knows
 * frames only; everything about headers, API versions and message bodies lives behind this
 * interface.
 */
public interface RequestProcessor {

    /**
     * Handles one request frame. Called on the connection's event loop, once per frame, in the
     * order the frames arrived; must not block. Takes ownership of the frame (must release it).
     *
     * <p>The future completes (on any thread) with the response to write, with {@code null} when
     * the request gets no response (a produce with acks=0), or exceptionally with
     * {@link UnframeableRequestException} when no response can be framed and the connection
     * must be closed. Any other exceptional completion is a bug in the processor; the
     * connection is closed and the failure logged.
     */
    CompletableFuture<OutboundResponse> process(Connection connection, Frame frame);
}
