package io.cairn.client.network;

/** Where a connection to one broker stands. */
public enum ConnectionState {
    /** No channel; a connect may start once the reconnect backoff passed. */
    DISCONNECTED,
    /** TCP connect in progress; requests queue until it completes. */
    CONNECTING,
    /** Connected: requests are written at once. */
    READY
}
