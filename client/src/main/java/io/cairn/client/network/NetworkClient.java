package io.cairn.client.network;

import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.NetworkException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.protocol.wire.FrameDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connections to brokers: one Netty channel per broker address, requests framed as
 * {@code type:u16 length:u32 value} (DESIGN.md), many requests pipelined per channel and matched to
 * their responses by correlation id, a deadline on every request, and reconnects with exponential
 * backoff.
 *
 * <p>Threading: every connection's state lives on the client's single network thread (one Netty event
 * loop); public methods may be called from any thread and hop onto it. Futures are completed on the
 * network thread, so callers must hand results to their own thread or executor before doing real
 * work.
 *
 * <p>A request queued for a broker that is not connected waits (and triggers connects, respecting the
 * backoff) until its deadline. A request whose response does not arrive in time fails with
 * {@link TimeoutException} and closes its connection, failing the others in flight on it with
 * {@link NetworkException}: a late answer could otherwise be mistaken for a newer request's.
 */
public final class NetworkClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkClient.class);
    private static final long SWEEP_INTERVAL_MS = 20;
    private static final int MIN_READ_BYTES = 512;
    private static final int INITIAL_READ_BYTES = 16 * 1024;
    private static final int MAX_READ_BYTES = 1024 * 1024;

    private final NetworkSettings settings;
    private final Transport transport;
    private final Backoff reconnectBackoff;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<BrokerAddress, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter connects;
    private final Counter disconnects;
    private final Counter requestTimeouts;
    private final Map<Integer, Counter> sentByApi = new HashMap<>();
    private final Map<Integer, Timer> latencyByApi = new HashMap<>();
    private volatile boolean closed;

    /**
     * Starts the network thread.
     *
     * @param threadName name of the network thread, e.g. {@code cairn-producer-net-myapp}
     * @param registry where connection and request metrics go
     * @param metricTags tags put on every metric (client kind and id)
     */
    public NetworkClient(NetworkSettings settings, String threadName, MeterRegistry registry, Tags metricTags) {
        this.settings = settings;
        this.reconnectBackoff = new Backoff(settings.reconnectBackoffMs(), settings.reconnectBackoffMaxMs());
        this.registry = registry;
        this.tags = metricTags;
        this.connects = registry.counter("cairn.client.connections.created", metricTags);
        this.disconnects = registry.counter("cairn.client.connections.closed", metricTags);
        this.requestTimeouts = registry.counter("cairn.client.request.timeouts", metricTags);
        registry.gauge("cairn.client.connections.active", metricTags, connections,
                m -> m.values().stream().filter(c -> c.state == ConnectionState.READY).count());
        this.transport = Transport.best();
        this.group = transport.newGroup(1, new DefaultThreadFactory(threadName, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                return super.newThread(r, threadName); // one thread: its name is exactly the one given
            }
        });
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectionSetupTimeoutMs())
                // Fetch responses run to megabytes: reads of up to 1 MiB (Netty's default stops at
                // 64 KiB) take a large response in a few system calls and wake-ups instead of dozens.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        MIN_READ_BYTES, INITIAL_READ_BYTES, MAX_READ_BYTES));
        if (settings.receiveBufferBytes() > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
        }
        if (settings.sendBufferBytes() > 0) {
            bootstrap.option(ChannelOption.SO_SNDBUF, settings.sendBufferBytes());
        }
        this.sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        log.debug("network thread {} runs on the {} transport", threadName, transport);
    }

    /** The Netty transport this client's connections use. */
    public Transport transport() {
        return transport;
    }

    /** Sends {@code request} to {@code to} with the default {@code request.timeout.ms}. */
    public <R> CompletableFuture<R> send(BrokerAddress to, ClientRequest<R> request) {
        return send(to, request, settings.requestTimeoutMs());
    }

    /**
     * Sends {@code request} to {@code to}, connecting first if needed. The future completes on the
     * network thread with the parsed response, or fails with {@link TimeoutException} after
     * {@code timeoutMs}, {@link NetworkException} when the connection is lost, or
     * {@link ClientClosedException} when this client closes.
     */
    public <R> CompletableFuture<R> send(BrokerAddress to, ClientRequest<R> request, long timeoutMs) {
        CompletableFuture<R> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new ClientClosedException("client closed; " + request.describe()
                    + " to " + to + " not sent"));
            return future;
        }
        Pending<R> pending = new Pending<>(request, future, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                timeoutMs);
        Connection connection = connection(to);
        connection.inFlightCount.incrementAndGet();
        future.whenComplete((r, e) -> connection.inFlightCount.decrementAndGet());
        if (loop.inEventLoop()) {
            connection.enqueue(pending); // a caller on the network thread (the producer's sender) writes at once
        } else {
            loop.execute(() -> connection.enqueue(pending));
        }
        return future;
    }

    /** Whether a channel to {@code to} is connected right now. */
    public boolean isReady(BrokerAddress to) {
        Connection c = connections.get(to);
        return c != null && c.state == ConnectionState.READY;
    }

    /** The connection state of {@code to}. */
    public ConnectionState state(BrokerAddress to) {
        Connection c = connections.get(to);
        return c == null ? ConnectionState.DISCONNECTED : c.state;
    }

    /** Starts connecting to {@code to} unless connected, connecting, or backing off. */
    public void connect(BrokerAddress to) {
        if (closed) {
            return;
        }
        Connection c = connection(to);
        if (c.state == ConnectionState.DISCONNECTED) {
            loop.execute(c::connectIfDue);
        }
    }

    /** Milliseconds until a connect to {@code to} may be attempted (0 when connected or due). */
    public long connectionDelayMs(BrokerAddress to) {
        Connection c = connections.get(to);
        if (c == null || c.state != ConnectionState.DISCONNECTED) {
            return 0;
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(c.nextAttemptNanos - System.nanoTime()));
    }

    /** Requests sent to or queued for {@code to} whose futures are not complete. */
    public int inFlightCount(BrokerAddress to) {
        Connection c = connections.get(to);
        return c == null ? 0 : c.inFlightCount.get();
    }

    /** The failure that closed or prevented the last connection to {@code to}, or null. */
    public Throwable lastError(BrokerAddress to) {
        Connection c = connections.get(to);
        return c == null ? null : c.lastError;
    }

    /** Closes the channel to {@code to}, failing what is in flight on it with {@link NetworkException}. */
    public void disconnect(BrokerAddress to) {
        Connection c = connections.get(to);
        if (c != null) {
            loop.execute(() -> c.close(new NetworkException("connection to " + to + " closed by the client")));
        }
    }

    /** Runs {@code task} on the network thread. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Runs {@code task} on the network thread after {@code delayMs}. The task must not block: it runs
     * between the reads and writes of every connection.
     *
     * @return a handle to cancel the task with
     */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return loop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Whether the calling thread is this client's network thread. */
    public boolean inNetworkThread() {
        return loop.inEventLoop();
    }

    /**
     * Closes every connection, fails every pending request, and stops the network thread. Called on
     * the network thread itself it closes the connections at once and lets the thread stop after the
     * task it runs; called again from another thread it waits for that stop.
     */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            if (!closed) {
                closed = true;
                closeConnections();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
            return;
        }
        if (closed) {
            group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                closeConnections();
                done.complete(null);
            });
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("network thread did not close connections in time: {}", e.toString());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Network thread. */
    private void closeConnections() {
        sweeper.cancel(false);
        for (Connection c : connections.values()) {
            c.close(new ClientClosedException("client closed with requests to " + c.address + " pending"));
        }
    }

    private Counter sentCounter(int apiKey) {
        return sentByApi.computeIfAbsent(apiKey, k -> registry.counter("cairn.client.requests.sent",
                tags.and("api", String.valueOf(k))));
    }

    private Timer latencyTimer(int apiKey) {
        return latencyByApi.computeIfAbsent(apiKey, k -> Timer.builder("cairn.client.request.latency")
                .tags(tags.and("api", String.valueOf(k))).register(registry));
    }

    private Connection connection(BrokerAddress to) {
        return connections.computeIfAbsent(to, Connection::new);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Connection c : connections.values()) {
            c.sweep(now);
        }
    }

    /** A request waiting to be written or answered. */
    private static final class Pending<R> {
        final ClientRequest<R> request;
        final CompletableFuture<R> future;
        final long deadlineNanos;
        final long timeoutMs;
        long sentNanos;

        Pending(ClientRequest<R> request, CompletableFuture<R> future, long deadlineNanos, long timeoutMs) {
            this.request = request;
            this.future = future;
            this.deadlineNanos = deadlineNanos;
            this.timeoutMs = timeoutMs;
        }

        void completeWith(int frameType, ByteBuf body) {
            R response;
            try {
                response = request.decode(frameType, body);
            } catch (RuntimeException e) {
                future.completeExceptionally(new NetworkException("could not parse the response to "
                        + request.describe() + ": " + e.getMessage(), e));
                return;
            }
            future.complete(response);
        }

        void fail(Throwable error) {
            future.completeExceptionally(error);
        }
    }

    /** What the native transport puts between the system call's name and the reason of a failed connect. */
    private static final String SYSCALL_FAILED = "(..) failed: ";

    /**
     * The native transport names the failed system call ("finishConnect(..) failed: Connection
     * refused: ..."), which the NIO transport does not; users get the reason alone, as before.
     */
    private static Throwable withoutSyscallName(Throwable cause) {
        String message = cause.getMessage();
        int at = message == null ? -1 : message.indexOf(SYSCALL_FAILED);
        if (!(cause instanceof ConnectException) || at < 0) {
            return cause;
        }
        ConnectException plain = new ConnectException(message.substring(at + SYSCALL_FAILED.length()));
        plain.initCause(cause);
        return plain;
    }

    /** One broker's connection. Every field except the volatile ones is touched only on the network thread. */
    private final class Connection {
        final BrokerAddress address;
        final AtomicInteger inFlightCount = new AtomicInteger();
        final Map<Integer, Pending<?>> inFlight = new HashMap<>();
        final ArrayDeque<Pending<?>> waiting = new ArrayDeque<>();
        volatile ConnectionState state = ConnectionState.DISCONNECTED;
        volatile long nextAttemptNanos;
        volatile Throwable lastError;
        Channel channel;
        int nextCorrelationId;
        int failures;

        Connection(BrokerAddress address) {
            this.address = address;
        }

        void enqueue(Pending<?> pending) {
            if (closed) {
                pending.fail(new ClientClosedException("client closed; " + pending.request.describe() + " to "
                        + address + " not sent"));
                return;
            }
            if (state == ConnectionState.READY) {
                write(pending);
            } else {
                waiting.addLast(pending);
                connectIfDue();
            }
        }

        void connectIfDue() {
            if (closed || state != ConnectionState.DISCONNECTED || System.nanoTime() - nextAttemptNanos < 0) {
                return;
            }
            state = ConnectionState.CONNECTING;
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                            .addLast(new FlushConsolidationHandler(256, true))
                            .addLast(new ResponseFrameDecoder(address, settings.maxResponseFrameBytes()))
                            .addLast(new ResponseHandler(Connection.this));
                }
            }).connect(address.host(), address.port());
            channel = f.channel();
            f.addListener(done -> {
                if (done.isSuccess() && !closed) {
                    onConnected();
                } else if (!done.isSuccess()) {
                    onConnectFailed(done.cause());
                }
            });
        }

        void onConnected() {
            state = ConnectionState.READY;
            failures = 0;
            lastError = null;
            connects.increment();
            log.debug("connected to {}", address);
            while (!waiting.isEmpty() && state == ConnectionState.READY) {
                write(waiting.pollFirst());
            }
        }

        void onConnectFailed(Throwable cause) {
            channel = null;
            state = ConnectionState.DISCONNECTED;
            failures++;
            lastError = withoutSyscallName(cause);
            long delayMs = reconnectBackoff.delayMs(failures);
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            log.debug("connect to {} failed (attempt {}), next attempt in {} ms: {}", address, failures, delayMs,
                    cause.toString());
        }

        void write(Pending<?> pending) {
            if (pending.future.isDone()) {
                return; // timed out while waiting for the connection
            }
            int correlationId = nextCorrelationId++;
            ClientRequest<?> request = pending.request;
            ByteBuf frame;
            try {
                frame = request.encode(channel.alloc(), correlationId, settings.clientId());
            } catch (RuntimeException e) {
                pending.fail(e);
                return;
            }
            pending.sentNanos = System.nanoTime();
            sentCounter(request.apiKey()).increment();
            if (request.expectsResponse()) {
                inFlight.put(correlationId, pending);
                channel.writeAndFlush(frame);
            } else {
                channel.writeAndFlush(frame).addListener(done -> {
                    if (done.isSuccess()) {
                        pending.future.complete(null);
                    } else {
                        pending.fail(new NetworkException("could not write " + request.describe() + " to " + address,
                                done.cause()));
                    }
                });
            }
        }

        void onResponse(ByteBuf frame) {
            int type = frame.readUnsignedShort();
            frame.skipBytes(FrameDescriptor.LENGTH_LENGTH);
            if (!FrameDescriptor.isResponse(type) || frame.readableBytes() < FrameDescriptor.RESPONSE_CORRELATION_ID_LENGTH) {
                close(new NetworkException("protocol error from " + address + ": frame type 0x"
                        + Integer.toHexString(type) + " is not a response"));
                return;
            }
            int correlationId = frame.readInt();
            Pending<?> pending = inFlight.remove(correlationId);
            if (pending == null) {
                close(new NetworkException("protocol error from " + address + ": response with unknown correlationId="
                        + correlationId));
                return;
            }
            int apiKey = type & FrameDescriptor.API_KEY_MASK;
            if (apiKey != pending.request.apiKey()) {
                pending.fail(new NetworkException("protocol error from " + address + ": response to correlationId="
                        + correlationId + " has api key " + apiKey + ", expected " + pending.request.apiKey()));
                close(new NetworkException("protocol error from " + address));
                return;
            }
            latencyTimer(apiKey).record(System.nanoTime() - pending.sentNanos, TimeUnit.NANOSECONDS);
            pending.completeWith(type, frame);
        }

        void onInactive(Throwable cause) {
            if (state == ConnectionState.DISCONNECTED) {
                return;
            }
            String why = cause == null ? "closed by the broker" : cause.toString();
            close(new NetworkException("connection to " + address + " lost (" + why + ") with " + inFlight.size()
                    + " requests in flight", cause));
        }

        void close(Throwable error) {
            Channel ch = channel;
            boolean wasOpen = state != ConnectionState.DISCONNECTED;
            channel = null;
            state = ConnectionState.DISCONNECTED;
            if (wasOpen) {
                disconnects.increment();
                failures++;
                lastError = error;
                nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reconnectBackoff.delayMs(failures));
            }
            if (ch != null) {
                ch.close();
            }
            List<Pending<?>> failed = new ArrayList<>(inFlight.values());
            inFlight.clear();
            if (closed) {
                failed.addAll(waiting);
                waiting.clear();
            }
            for (Pending<?> p : failed) {
                p.fail(error);
            }
            if (!closed && !waiting.isEmpty()) {
                connectIfDue();
            }
        }

        void sweep(long now) {
            for (Iterator<Pending<?>> it = waiting.iterator(); it.hasNext(); ) {
                Pending<?> p = it.next();
                if (p.future.isDone()) {
                    it.remove();
                } else if (now - p.deadlineNanos >= 0) {
                    it.remove();
                    requestTimeouts.increment();
                    p.fail(new TimeoutException(p.request.describe() + " to " + address + " not sent within "
                            + p.timeoutMs + " ms: no connection" + (lastError == null ? "" : " (" + lastError + ")"),
                            lastError));
                }
            }
            Pending<?> expired = null;
            for (Pending<?> p : inFlight.values()) {
                if (now - p.deadlineNanos >= 0) {
                    expired = p;
                    break;
                }
            }
            if (expired != null) {
                requestTimeouts.increment();
                inFlight.values().remove(expired);
                expired.fail(new TimeoutException(expired.request.describe() + " to " + address
                        + " not answered within " + expired.timeoutMs + " ms"));
                close(new NetworkException("connection to " + address + " closed after a request timed out"));
            }
            if (!waiting.isEmpty() && state == ConnectionState.DISCONNECTED) {
                connectIfDue();
            }
        }
    }

    /** Hands complete response frames to their connection. Runs on the network thread. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final Connection connection;

        ResponseHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (connection.channel == ctx.channel()) {
                connection.onResponse(frame);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connection.channel == ctx.channel()) {
                connection.onInactive(null);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (connection.channel == ctx.channel()) {
                connection.onInactive(cause);
            }
            ctx.close();
        }
    }
}
