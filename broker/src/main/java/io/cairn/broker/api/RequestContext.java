package io.cairn.broker.api;

import io.cairn.broker.network.Connection;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;

/**
 * Who sent a request and how: the connection, the client id, the API and version, when it
 * arrived. Handed to {@link ApiHandler#handle}. Immutable and safe to pass to other threads.
 */
public final class RequestContext {
    private final Connection connection;
    private final RequestHeader header;
    private final ApiKey apiKey;
    private final EventExecutor eventLoop;
    private final long receivedNanos;

    public RequestContext(Connection connection, RequestHeader header, ApiKey apiKey, EventExecutor eventLoop,
                          long receivedNanos) {
        this.connection = connection;
        this.header = header;
        this.apiKey = apiKey;
        this.eventLoop = eventLoop;
        this.receivedNanos = receivedNanos;
    }

    public Connection connection() {
        return connection;
    }

    public long connectionId() {
        return connection.id();
    }

    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    public RequestHeader header() {
        return header;
    }

    public ApiKey apiKey() {
        return apiKey;
    }

    public int apiVersion() {
        return header.apiVersion();
    }

    public int correlationId() {
        return header.correlationId();
    }

    /** The client's self-chosen id; may be null. */
    public String clientId() {
        return header.clientId();
    }

    /**
     * The event loop the connection lives on: the thread that called the handler. Handlers may
     * schedule timers on it (e.g. a long-poll deadline) to stay on the connection's thread.
     */
    public EventExecutor eventLoop() {
        return eventLoop;
    }

    /** {@link System#nanoTime()} when the request's frame was cut from the stream. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** "Metadata v0 (correlationId=7, clientId=app) on connection 3 from 127.0.0.1:50312", for logs. */
    @Override
    public String toString() {
        return header.describe() + " on " + connection;
    }
}
