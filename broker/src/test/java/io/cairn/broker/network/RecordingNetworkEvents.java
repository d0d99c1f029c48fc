package io.cairn.broker.network;

import io.cairn.protocol.wire.FrameError;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Network events for tests of one connection's handlers: records bad frames, ignores connection
 * bookkeeping, and fails the test on a processor, pipeline or write failure (none is expected).
 * Confined to the test's thread (an {@code EmbeddedChannel} runs everything there).
 */
final class RecordingNetworkEvents implements NetworkEvents {
    final List<FrameError> badFrames = new ArrayList<>();

    @Override
    public void connectionOpened(Connection connection, int open) {
    }

    @Override
    public void connectionClosed(Connection connection, int open) {
    }

    @Override
    public void connectionRejected(SocketAddress remote, int open, int maxConnections) {
    }

    @Override
    public void badFrame(Connection connection, FrameError error) {
        badFrames.add(error);
    }

    @Override
    public void slowFrame(Connection connection, int bufferedBytes, long waitedMs) {
    }

    @Override
    public void unframeableRequest(Connection connection, UnframeableRequestException problem) {
    }

    @Override
    public void processorFailed(Connection connection, Throwable cause) {
        throw new AssertionError("processor failed", cause);
    }

    @Override
    public void pipelineFailed(Connection connection, Throwable cause) {
        throw new AssertionError("pipeline failed", cause);
    }

    @Override
    public void writeFailed(Connection connection, Throwable cause) {
        throw new AssertionError("write failed", cause);
    }
}
