package io.cairn.broker.network;

import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameError;
import io.cairn.protocol.wire.FrameReadResult;
import io.cairn.protocol.wire.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts a connection's byte stream into {@link Frame}s with the protocol's {@link FrameReader}.
 *
 * <pre>
 * frame := type:u16  length:u32  value:byte[length]
 * </pre>
 *
 * <p>The length field is checked against {@code max.frame.bytes} as soon as the 6-byte header
 * has arrived, before any of the value is waited for: a frame claiming more (including a
 * "negative" length, one with the top bit set) makes the decoder drop everything it holds,
 * ignore all further input and close the connection. No buffer is ever sized from the claimed
 * length; the receive buffer only grows with bytes that actually arrived, so memory per
 * connection stays below {@code max.frame.bytes} plus one socket read.
 *
 * <p>A frame must arrive whole within {@code frame.read.timeout.ms} of its first byte: a client
 * that trickles a frame (a slowloris) keeps the idle timer quiet with every byte, so the decoder
 * keeps its own deadline for the partial frame it holds and closes the connection when it passes.
 * Time during which the broker is not reading from the connection (back-pressure) starts the
 * deadline over.
 *
 * <p>Each frame's value is a retained slice of the receive buffer (no copy). One instance per
 * connection, confined to its event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final FrameReader reader;
    private final Connection connection;
    private final NetworkEvents events;
    private final long frameReadTimeoutNanos;
    private boolean discarding;
    /** When the first byte of the partial frame held arrived; 0 when none is held. */
    private long partialSinceNanos;
    private boolean frameCut;
    private ScheduledFuture<?> deadline;

    /**
     * @param frameReadTimeoutMs longest a frame may take to arrive after its first byte; 0 never
     */
    FrameDecoder(FrameReader reader, Connection connection, NetworkEvents events, long frameReadTimeoutMs) {
        this.reader = reader;
        this.connection = connection;
        this.events = events;
        this.frameReadTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameReadTimeoutMs);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        frameCut = false;
        super.channelRead(ctx, msg);
        if (frameReadTimeoutNanos > 0 && !discarding) {
            trackPartialFrame(ctx);
        }
    }

    /** After each read: start, restart or stop the deadline of the partial frame left in the buffer. */
    private void trackPartialFrame(ChannelHandlerContext ctx) {
        if (actualReadableBytes() == 0) {
            partialSinceNanos = 0;
            return;
        }
        if (partialSinceNanos == 0 || frameCut) {
            // a new frame began in this read
            partialSinceNanos = System.nanoTime();
        }
        if (deadline == null) {
            scheduleDeadline(ctx, frameReadTimeoutNanos);
        }
    }

    private void scheduleDeadline(ChannelHandlerContext ctx, long delayNanos) {
        deadline = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline(ChannelHandlerContext ctx) {
        deadline = null;
        if (partialSinceNanos == 0 || discarding || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // The broker is not reading (back-pressure): the client cannot be blamed; start over.
            partialSinceNanos = System.nanoTime();
            scheduleDeadline(ctx, frameReadTimeoutNanos);
            return;
        }
        long waitedNanos = System.nanoTime() - partialSinceNanos;
        if (waitedNanos < frameReadTimeoutNanos) {
            scheduleDeadline(ctx, frameReadTimeoutNanos - waitedNanos);
            return;
        }
        discarding = true;
        int buffered = actualReadableBytes();
        ctx.channel().config().setAutoRead(false);
        events.slowFrame(connection, buffered, TimeUnit.NANOSECONDS.toMillis(waitedNanos));
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        FrameReadResult result = reader.read(in);
        if (result instanceof Frame frame) {
            frameCut = true;
            out.add(frame);
        } else if (result instanceof FrameError error) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            ctx.channel().config().setAutoRead(false);
            events.badFrame(connection, error);
            ctx.close();
        }
        // else NEED_MORE_BYTES: ByteToMessageDecoder calls again once more bytes arrive
    }
}
