package io.cairn.client.network;

import io.cairn.client.config.ClientConfig;

/**
 * The settings the network layer needs, taken from a client's config.
 *
 * @param clientId sent in every request header
 * @param requestTimeoutMs default time a request may wait for its response
 * @param connectionSetupTimeoutMs time a TCP connect may take
 * @param reconnectBackoffMs first wait before reconnecting
 * @param reconnectBackoffMaxMs cap of the reconnect wait
 * @param maxResponseFrameBytes largest response frame accepted
 * @param receiveBufferBytes SO_RCVBUF of each connection, -1 for the OS default
 * @param sendBufferBytes SO_SNDBUF of each connection, -1 for the OS default
 */
public record NetworkSettings(String clientId, int requestTimeoutMs, int connectionSetupTimeoutMs,
                              long reconnectBackoffMs, long reconnectBackoffMaxMs, int maxResponseFrameBytes,
                              int receiveBufferBytes, int sendBufferBytes) {
    /** Settings with the OS's socket buffer sizes. */
    public NetworkSettings(String clientId, int requestTimeoutMs, int connectionSetupTimeoutMs,
                           long reconnectBackoffMs, long reconnectBackoffMaxMs, int maxResponseFrameBytes) {
        this(clientId, requestTimeoutMs, connectionSetupTimeoutMs, reconnectBackoffMs, reconnectBackoffMaxMs,
                maxResponseFrameBytes, -1, -1);
    }

    /** The network settings of {@code config}, sending {@code clientId} (given or generated). */
    public static NetworkSettings of(ClientConfig config, String clientId) {
        return new NetworkSettings(clientId, config.requestTimeoutMs(), config.connectionSetupTimeoutMs(),
                config.reconnectBackoffMs(), config.reconnectBackoffMaxMs(), config.maxResponseFrameBytes(),
                config.receiveBufferBytes(), config.sendBufferBytes());
    }
}
