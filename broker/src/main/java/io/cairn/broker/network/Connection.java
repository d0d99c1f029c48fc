package io.cairn.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the request layer may know about a client connection: a broker-unique id, the peer's
 * address and a way to learn when it closes (e.g. to drop a parked long-poll). Immutable;
 * created on the connection's event loop and safe to share.
 */
public final class Connection {
    private final long id;
    private final Channel channel;

    Connection(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
    }

    /** Broker-unique, increasing from 1 in the order connections were accepted. */
    public long id() {
        return id;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** {@code host:port} of the peer, for logs. */
    public String remote() {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The event loop the connection is confined to. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Completes when the connection has closed, for whatever reason. */
    public Future<Void> closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote();
    }
}
