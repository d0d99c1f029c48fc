package io.cairn.client.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny server speaking Cairn's frame format, for testing the network layer without a broker. Each
 * decoded request goes to a {@link Behaviour} that may answer, hold, or close. Handlers run on the
 * server's event loop.
 */
final class FakeFrameServer implements AutoCloseable {
    /** A decoded request frame. */
    record Request(Channel channel, int apiKey, int apiVersion, int correlationId, String clientId, byte[] body) {
        /** Writes a response frame with {@code body}. */
        void respond(byte[] responseBody) {
            ByteBuf out = channel.alloc().buffer();
            out.writeShort(apiKey | 0x8000);
            out.writeInt(4 + responseBody.length);
            out.writeInt(correlationId);
            out.writeBytes(responseBody);
            channel.writeAndFlush(out);
        }
    }

    /** What the server does with each request. */
    interface Behaviour {
        void onRequest(Request request);
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Behaviour behaviour;
    private final List<Channel> children = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Request> received = new CopyOnWriteArrayList<>();
    private Channel server;

    FakeFrameServer(int port, Behaviour behaviour) {
        this.behaviour = behaviour;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        children.add(ch);
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 2, 4, 0, 0))
                                .addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        int apiKey = frame.readUnsignedShort();
                                        frame.skipBytes(4);
                                        int version = frame.readUnsignedShort();
                                        int correlationId = frame.readInt();
                                        int len = frame.readUnsignedShort();
                                        String clientId = len == 0xFFFF ? null
                                                : frame.readCharSequence(len, StandardCharsets.UTF_8).toString();
                                        byte[] body = new byte[frame.readableBytes()];
                                        frame.readBytes(body);
                                        Request r = new Request(ctx.channel(), apiKey, version, correlationId, clientId, body);
                                        received.add(r);
                                        behaviour.onRequest(r);
                                    }
                                });
                    }
                }).bind(port).syncUninterruptibly().channel();
    }

    FakeFrameServer(Behaviour behaviour) {
        this(0, behaviour);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    BrokerAddress address() {
        return new BrokerAddress("127.0.0.1", port());
    }

    /** Closes every accepted connection but keeps listening. */
    void dropConnections() {
        for (Channel c : children) {
            c.close().syncUninterruptibly();
        }
        children.clear();
    }

    @Override
    public void close() {
        dropConnections();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
