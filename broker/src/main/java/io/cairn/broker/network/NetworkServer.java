package io.cairn.broker.network;

import io.cairn.protocol.wire.FrameReader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client listener: one acceptor thread and {@code ioThreads} event loops (epoll where
 * available), each connection confined to one event loop for its whole life.
 *
 * <pre>
 * pipeline per connection (inbound top to bottom, outbound bottom to top):
 *   FlushConsolidationHandler   batches flushes of pipelined responses into fewer syscalls
 *   IdleStateHandler            fires after connections.max.idle.ms without reads or writes
 *   FrameDecoder                bytes -> Frame, enforcing max.frame.bytes before buffering and frame.read.timeout.ms
 *   ResponseEncoder             EncodedFrame -> ByteBufs + file regions (sendfile)
 *   ConnectionHandler           hands frames to the RequestProcessor, writes responses, back-pressure
 * </pre>
 *
 * <p>Lifecycle: {@link #start()} binds; shutdown is {@link #stopAccepting()},
 * {@link #pauseReading()}, {@link #awaitDrained(Duration)} then {@link #close()}. Methods are
 * called from one controlling thread (the broker's lifecycle); connection state lives on the
 * event loops.
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);
    private static final int MIN_READ_BYTES = 512;
    private static final int INITIAL_READ_BYTES = 16 * 1024;
    private static final int MAX_READ_BYTES = 1024 * 1024;

    private final NetworkConfig config;
    private final RequestProcessor processor;
    private final NetworkEvents events;
    private final Transport transport;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final AtomicInteger notReading = new AtomicInteger();
    private final ChannelGroup connections = new DefaultChannelGroup("cairn-connections", GlobalEventExecutor.INSTANCE);
    private final ResponseEncoder encoder = new ResponseEncoder();
    private final FrameReader frameReader;
    // Produce requests run to a megabyte: reads of up to 1 MiB (Netty's default stops at 64 KiB) take
    // one in a few system calls instead of sixteen or more. Shared; each connection wraps it in its
    // own FrameReadAllocator, which reads the rest of a frame that spans reads straight into its buffer.
    private final AdaptiveRecvByteBufAllocator readSizes = new AdaptiveRecvByteBufAllocator(
            MIN_READ_BYTES, INITIAL_READ_BYTES, MAX_READ_BYTES);

    private EventLoopGroup acceptorGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private InetSocketAddress boundAddress;

    public NetworkServer(NetworkConfig config, RequestProcessor processor, NetworkEvents events) {
        this(config, processor, events, Transport.best());
    }

    public NetworkServer(NetworkConfig config, RequestProcessor processor, NetworkEvents events, Transport transport) {
        this.config = config;
        this.processor = processor;
        this.events = events;
        this.transport = transport;
        this.frameReader = new FrameReader(config.maxFrameBytes());
    }

    /**
     * Binds the listener and starts accepting. Returns the bound address (the real port when
     * the configured port is 0).
     *
     * @throws java.net.BindException or another IOException when the address cannot be bound
     */
    public InetSocketAddress start() throws java.io.IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("network server already started on " + boundAddress);
        }
        acceptorGroup = transport.newGroup(1, "cairn-acceptor");
        ioGroup = transport.newGroup(config.ioThreads(), "cairn-network");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, ioGroup)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMarkBytes(), config.writeBufferHighWaterMarkBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        setUp(ch);
                    }
                });
        InetSocketAddress requested = config.host() == null || config.host().isEmpty()
                ? new InetSocketAddress(config.port())
                : new InetSocketAddress(config.host(), config.port());
        ChannelFuture bind = bootstrap.bind(requested).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutDownGroups();
            Throwable cause = bind.cause();
            if (cause instanceof java.io.IOException io) {
                java.io.IOException withAddress = new java.net.BindException(
                        "cannot listen on " + requested.getHostString() + ":" + requested.getPort() + ": " + io.getMessage());
                withAddress.initCause(io);
                throw withAddress;
            }
            throw new IllegalStateException("cannot listen on " + requested, cause);
        }
        serverChannel = bind.channel();
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        log.debug("network server bound to {} with {} transport, {} event loops", boundAddress, transport, config.ioThreads());
        return boundAddress;
    }

    private void setUp(SocketChannel ch) {
        // Take a slot only while one is free: incrementing first and undoing on refusal let the
        // count read max.connections + 1 for a moment during a flood.
        int open;
        do {
            open = openConnections.get();
            if (open >= config.maxConnections()) {
                events.connectionRejected(ch.remoteAddress(), open, config.maxConnections());
                ch.close();
                return;
            }
        } while (!openConnections.compareAndSet(open, open + 1));
        open++;
        Connection connection = new Connection(connectionIds.incrementAndGet(), ch);
        ConnectionHandler handler = new ConnectionHandler(connection, processor, config, events, inFlightRequests, notReading);
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("flush", new FlushConsolidationHandler(64, true));
        if (config.idleTimeoutMs() > 0) {
            pipeline.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutMs(), TimeUnit.MILLISECONDS));
        }
        FrameDecoder frames = new FrameDecoder(frameReader, connection, events, config.frameReadTimeoutMs());
        ch.config().setRecvByteBufAllocator(new FrameReadAllocator(readSizes, frames));
        pipeline.addLast("frames", frames);
        pipeline.addLast("encoder", encoder);
        pipeline.addLast("requests", handler);
        connections.add(ch);
        ch.closeFuture().addListener(f -> events.connectionClosed(connection, openConnections.decrementAndGet()));
        events.connectionOpened(connection, open);
    }

    /** The address the listener is bound to; null before {@link #start()}. */
    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    public Transport transport() {
        return transport;
    }

    /** Client connections open right now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Open connections the broker is not reading from right now (back-pressure, or shutdown). */
    public int pausedConnections() {
        return notReading.get();
    }

    /** Requests received whose response is not ready yet, over all connections. */
    public int inFlightRequests() {
        return inFlightRequests.get();
    }

    /** Closes the listening socket: no new connections; open ones carry on. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
    }

    /** Stops reading requests on every open connection; responses in flight are still written. */
    public void pauseReading() {
        for (Channel ch : connections) {
            ConnectionHandler handler = ch.pipeline().get(ConnectionHandler.class);
            if (handler != null) {
                ch.eventLoop().execute(handler::pause);
            }
        }
    }

    /**
     * Waits up to {@code timeout} for every received request to have its response ready and
     * written to the socket; returns whether they all did.
     */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlightRequests.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        // An empty write completes only after every write queued before it on that connection.
        List<ChannelFuture> flushed = new ArrayList<>();
        for (Channel ch : connections) {
            flushed.add(ch.writeAndFlush(Unpooled.EMPTY_BUFFER));
        }
        for (ChannelFuture f : flushed) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0 || !f.awaitUninterruptibly(leftNanos, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** Closes every connection and stops the event loops. Idempotent. */
    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly();
        shutDownGroups();
    }

    private void shutDownGroups() {
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (acceptorGroup != null) {
            acceptorGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
