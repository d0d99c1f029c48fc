package io.cairn.broker.network;

import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request/response cycle of one client connection.
 *
 * <p>Frames are handed to the {@link RequestProcessor} one by one in arrival order, without
 * waiting for earlier responses (pipelining). Each response is written as soon as it is ready,
 * in completion order, tagged with its request's correlation id, so a long-poll fetch parked
 * for seconds never holds back the requests behind it.
 *
 * <p>Back-pressure: while the connection has {@code maxInFlightRequests} requests without a
 * response, more than {@code maxPendingResponseBytes} of responses queued but not yet on the wire
 * (file regions included, which Netty's own write-buffer accounting ignores), or an unwritable
 * channel, the handler stops reading from the socket ({@code autoRead=false}) and holds back the
 * frames already cut from bytes read before (at most one socket read's worth) instead of
 * processing them. Once all three are back under their bounds it processes the held frames in
 * order, then reads again. So a client that sends requests but does not read responses costs the
 * broker at most the bounds plus one read.
 *
 * <p>One instance per connection; every field is confined to the connection's event loop.
 * Futures completing on other threads (storage writer, flush thread, timers) hop back onto the
 * event loop before touching anything here.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final Connection connection;
    private final RequestProcessor processor;
    private final NetworkConfig config;
    private final NetworkEvents events;
    private final AtomicInteger brokerInFlight;
    private final AtomicInteger notReading;
    private final ArrayDeque<Frame> held = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private int inFlight;
    private long pendingResponseBytes;
    private boolean paused;
    private boolean readingOff;
    private boolean draining;

    ConnectionHandler(Connection connection, RequestProcessor processor, NetworkConfig config, NetworkEvents events,
                      AtomicInteger brokerInFlight, AtomicInteger notReading) {
        this.connection = connection;
        this.processor = processor;
        this.config = config;
        this.events = events;
        this.brokerInFlight = brokerInFlight;
        this.notReading = notReading;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("unexpected inbound message " + msg.getClass().getName());
        }
        if (!ctx.channel().isActive()) {
            frame.release();
            return;
        }
        if (!held.isEmpty() || !mayProcess()) {
            held.add(frame);
            updateReading();
            return;
        }
        process(frame);
        updateReading();
    }

    private void process(Frame frame) {
        inFlight++;
        brokerInFlight.incrementAndGet();
        CompletableFuture<OutboundResponse> response;
        try {
            response = processor.process(connection, frame);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        if (response.isDone()) {
            complete(response);
        } else {
            CompletableFuture<OutboundResponse> pending = response;
            response.whenComplete((r, e) -> {
                if (ctx.executor().inEventLoop()) {
                    complete(pending);
                } else {
                    ctx.executor().execute(() -> complete(pending));
                }
            });
        }
    }

    /** Runs on the event loop once a request's response (or failure) is known. */
    private void complete(CompletableFuture<OutboundResponse> done) {
        inFlight--;
        brokerInFlight.decrementAndGet();
        OutboundResponse response;
        try {
            response = done.join();
        } catch (CompletionException e) {
            failed(e.getCause());
            return;
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        if (response == null) {
            updateReading();
            return;
        }
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            response.discard();
            return;
        }
        EncodedFrame frame = response.encode(ctx.alloc());
        long size = frame.frameLength();
        pendingResponseBytes += size;
        ChannelFuture written = ctx.writeAndFlush(frame);
        written.addListener((ChannelFutureListener) f -> {
            pendingResponseBytes -= size;
            if (!f.isSuccess() && channel.isActive()) {
                events.writeFailed(connection, f.cause());
                channel.close();
            }
            updateReading();
        });
        updateReading();
    }

    private void failed(Throwable cause) {
        if (cause instanceof UnframeableRequestException unframeable) {
            events.unframeableRequest(connection, unframeable);
        } else {
            events.processorFailed(connection, cause);
        }
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (inFlight == 0 && pendingResponseBytes == 0 && held.isEmpty()) {
                log.info("closing idle {}: no traffic for {} ms", connection, config.idleTimeoutMs());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("{} failed: {}", connection, cause.toString());
        } else {
            events.pipelineFailed(connection, cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Frame frame; (frame = held.poll()) != null; ) {
            frame.release();
        }
        if (readingOff) {
            readingOff = false;
            notReading.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }

    /** Stops reading and processing for good (broker shutdown); responses in flight are still written. */
    void pause() {
        paused = true;
        updateReading();
    }

    private boolean mayProcess() {
        return !paused
                && inFlight < config.maxInFlightRequests()
                && pendingResponseBytes <= config.maxPendingResponseBytes()
                && ctx.channel().isWritable();
    }

    private void updateReading() {
        if (!draining && !held.isEmpty() && mayProcess()) {
            draining = true;
            try {
                while (!held.isEmpty() && mayProcess() && ctx.channel().isActive()) {
                    process(held.poll());
                }
            } finally {
                draining = false;
            }
        }
        Channel channel = ctx.channel();
        boolean read = held.isEmpty() && mayProcess();
        if (channel.config().isAutoRead() != read) {
            // switching autoRead on also issues the next read
            channel.config().setAutoRead(read);
        }
        if (readingOff == read && channel.isActive()) {
            readingOff = !read;
            notReading.addAndGet(read ? -1 : 1);
        }
    }

    /** Requests received whose response is not ready yet. */
    int inFlight() {
        return inFlight;
    }

    /** Frames read but held back by back-pressure. */
    int held() {
        return held.size();
    }
}
