package io.cairn.client.network;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport the client's network thread runs on: native epoll where its library loads
 * (Linux; the broker makes the same choice), the JDK's NIO selector otherwise. Epoll costs fewer
 * system calls and less work per read, write and wake-up than the JDK selector, which matters when
 * every record is its own request. Stateless.
 */
public enum Transport {
    EPOLL,
    NIO;

    /** Epoll when its native library loads, NIO otherwise. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Creates an event-loop group of {@code threadCount} threads made by {@code threads}. */
    EventLoopGroup newGroup(int threadCount, ThreadFactory threads) {
        return switch (this) {
            case EPOLL -> new EpollEventLoopGroup(threadCount, threads);
            case NIO -> new NioEventLoopGroup(threadCount, threads);
        };
    }

    /** The client socket channel class of this transport. */
    Class<? extends SocketChannel> socketChannelClass() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
