package io.cairn.broker.network;

/**
 * Settings of the client listener, taken from the broker configuration. Immutable.
 *
 * @param host                         interface to bind; empty or {@code 0.0.0.0} for all
 * @param port                         TCP port; 0 picks a free one
 * @param ioThreads                    event-loop threads serving connections (one acceptor thread comes on top)
 * @param maxFrameBytes                largest request frame value accepted; a bigger claim closes the connection
 * @param maxConnections               open client connections allowed; more are closed on accept
 * @param idleTimeoutMs                a connection with no traffic and nothing in flight for this long is closed; 0 never
 * @param frameReadTimeoutMs           a frame not complete this long after its first byte arrived closes the connection; 0 never
 * @param maxPendingResponseBytes      per connection: unsent response bytes above which the broker stops reading from it
 * @param maxInFlightRequests          per connection: requests without a written response above which the broker stops reading from it
 * @param writeBufferLowWaterMarkBytes Netty write-buffer low water mark
 * @param writeBufferHighWaterMarkBytes Netty write-buffer high water mark (the channel turns unwritable above it)
 */
public record NetworkConfig(
        String host,
        int port,
        int ioThreads,
        int maxFrameBytes,
        int maxConnections,
        long idleTimeoutMs,
        long frameReadTimeoutMs,
        long maxPendingResponseBytes,
        int maxInFlightRequests,
        int writeBufferLowWaterMarkBytes,
        int writeBufferHighWaterMarkBytes) {

    public NetworkConfig {
        if (port < 0 || port > 65535 || ioThreads < 1 || maxFrameBytes < 1 || maxConnections < 1 || idleTimeoutMs < 0
                || frameReadTimeoutMs < 0 || maxPendingResponseBytes < 1 || maxInFlightRequests < 1 || writeBufferLowWaterMarkBytes < 1
                || writeBufferHighWaterMarkBytes < writeBufferLowWaterMarkBytes) {
            throw new IllegalArgumentException("invalid network settings: " + this);
        }
    }

    /** Defaults for tests and embedding, listening on {@code host:port}. */
    public static NetworkConfig defaults(String host, int port) {
        return new NetworkConfig(host, port, 2, 8 * 1024 * 1024, 1000, 600_000L, 30_000L, 16L * 1024 * 1024, 1000,
                256 * 1024, 1024 * 1024);
    }

    public NetworkConfig withPort(int newPort) {
        return new NetworkConfig(host, newPort, ioThreads, maxFrameBytes, maxConnections, idleTimeoutMs,
                frameReadTimeoutMs, maxPendingResponseBytes, maxInFlightRequests, writeBufferLowWaterMarkBytes,
                writeBufferHighWaterMarkBytes);
    }
}
