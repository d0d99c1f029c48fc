package io.cairn.broker.network;

import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameError;
import io.cairn.protocol.wire.FrameReadResult;
import io.cairn.protocol.wire.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
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
 * ignore all further input and close the connection.
 *
 * <p><b>No copy where a frame allows it.</b> A frame that lies whole inside one socket read is
 * handed on as a retained slice of that read's buffer. A frame that spans reads (a produce request
 * of a megabyte arrives in several) gets one buffer of its own, which the following socket reads
 * fill directly: {@link #readTarget()} lends the free part of it to the channel's
 * {@link FrameReadAllocator}, so those bytes go from the socket into the frame's buffer and are
 * never copied in user space; only the part of the frame that arrived in the read where it began
 * is copied, once. (Netty's cumulating decoder copied every read after the first into its
 * cumulation, reallocated and copied it again as it grew, and copied the tail of a read once more
 * whenever a slice of the cumulation was still held.)
 *
 * <p><b>Memory.</b> Nothing is sized from the claimed length alone: a frame's own buffer starts as
 * large as the read buffer the frame began in (the connection's current read size, at most 1 MiB,
 * which the transport sizes from the connection's earlier reads; Netty's cumulation held that
 * buffer too) or twice the bytes of the frame that read brought, whichever is larger, capped at the
 * frame's length; it doubles, again capped at the length, each time it fills before the frame is
 * complete. So a connection holds at most about twice what it was actually sent, or one socket
 * read's worth, and a client that claims a large frame and sends little costs the broker no more
 * than the read buffer its few bytes arrived in.
 *
 * <p>A frame must arrive whole within {@code frame.read.timeout.ms} of its first byte: a client
 * that trickles a frame (a slowloris) keeps the idle timer quiet with every byte, so the decoder
 * keeps its own deadline for the partial frame it holds and closes the connection when it passes.
 * Time during which the broker is not reading from the connection (back-pressure) starts the
 * deadline over.
 *
 * <p>One instance per connection, confined to its event loop.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int HEADER_LENGTH = FrameDescriptor.HEADER_LENGTH;

    private final FrameReader reader;
    private final Connection connection;
    private final NetworkEvents events;
    private final long frameReadTimeoutNanos;
    /** A header split across reads: its first {@link #headerFill} bytes. */
    private final ByteBuf header = Unpooled.buffer(HEADER_LENGTH, HEADER_LENGTH);
    private int headerFill;
    /** The value of the frame being received, when it spans reads; null otherwise. */
    private ByteBuf partial;
    private int partialType;
    private int partialLength;
    /** The last slice of {@link #partial} lent to a socket read, recognised when it comes back. */
    private ByteBuf lent;
    private ChannelHandlerContext ctx;
    private boolean discarding;
    /** When the first byte of the partial frame held arrived; 0 when none is held. */
    private long partialSinceNanos;
    private boolean frameCut;
    private boolean readSinceComplete;
    private boolean firedSinceComplete;
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
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Where the next socket read should put its bytes: a slice over the free part of the partial
     * frame's buffer (empty, writable up to its capacity), or null to let the read allocate a
     * buffer of its own. The caller owns the returned slice (one reference) and passes it down the
     * pipeline like any read buffer.
     */
    ByteBuf readTarget() {
        if (partial == null || discarding || !partial.isWritable()) {
            return null;
        }
        lent = partial.retainedSlice(partial.writerIndex(), partial.writableBytes()).clear();
        return lent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        readSinceComplete = true;
        frameCut = false;
        try {
            if (discarding) {
                return;
            }
            if (in == lent) {
                lent = null;
                received(in.readableBytes());
            } else {
                decode(in);
            }
        } finally {
            in.release();
        }
        if (frameReadTimeoutNanos > 0 && !discarding) {
            trackPartialFrame();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // As Netty's ByteToMessageDecoder: a read that completed no frame while auto-read is off asks
        // for one more, so a frame begun before reading was paused can still complete.
        if (readSinceComplete && !firedSinceComplete && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        readSinceComplete = false;
        firedSinceComplete = false;
        ctx.fireChannelReadComplete();
    }

    /** {@code n} bytes were read straight into the partial frame's buffer. */
    private void received(int n) {
        if (partial == null) {
            return; // the partial frame was dropped while the read was out
        }
        partial.writerIndex(partial.writerIndex() + n);
        completeOrGrowPartial();
    }

    private void decode(ByteBuf in) {
        while (in.isReadable() && !discarding) {
            if (partial != null) {
                // bytes of the partial frame that arrived in a buffer of the read's own (the read where
                // it began, or one the allocator did not route to it)
                int n = Math.min(in.readableBytes(), partialLength - partial.writerIndex());
                ensureWritable(n);
                partial.writeBytes(in, n);
                completeOrGrowPartial();
            } else if (headerFill > 0) {
                int n = Math.min(HEADER_LENGTH - headerFill, in.readableBytes());
                header.writeBytes(in, n);
                headerFill += n;
                if (headerFill == HEADER_LENGTH) {
                    headerFill = 0;
                    FrameReadResult result = reader.read(header);
                    if (result == FrameReadResult.NEED_MORE_BYTES) {
                        startPartial(header.getUnsignedShort(FrameDescriptor.TYPE_OFFSET),
                                header.getUnsignedInt(FrameDescriptor.LENGTH_OFFSET), in);
                    } else {
                        accept(result);
                    }
                    header.clear();
                }
            } else if (in.readableBytes() < HEADER_LENGTH) {
                headerFill = in.readableBytes();
                header.clear().writeBytes(in, headerFill);
            } else {
                int start = in.readerIndex();
                FrameReadResult result = reader.read(in);
                if (result == FrameReadResult.NEED_MORE_BYTES) {
                    // a whole header (its length already checked) but not the whole value: it spans reads
                    in.skipBytes(HEADER_LENGTH);
                    startPartial(in.getUnsignedShort(start + FrameDescriptor.TYPE_OFFSET),
                            in.getUnsignedInt(start + FrameDescriptor.LENGTH_OFFSET), in);
                } else {
                    accept(result);
                }
            }
        }
    }

    /** Fires a whole frame, or fails the connection on a bad one. */
    private void accept(FrameReadResult result) {
        if (result instanceof Frame frame) {
            frameCut = true;
            fire(frame);
        } else if (result instanceof FrameError error) {
            fail(error);
        }
    }

    /**
     * Starts receiving a frame whose value spans reads. Its buffer is as large as the read buffer it
     * began in (the connection's current read size, which the transport sized from the reads before)
     * or twice the bytes of the value in it, whichever is larger, and no larger than the value.
     */
    private void startPartial(int type, long length, ByteBuf read) {
        partialType = type;
        partialLength = (int) length; // at most max.frame.bytes, checked by the frame reader
        int capacity = (int) Math.min(length, Math.max(read.capacity(), 2L * read.readableBytes()));
        partial = ctx.alloc().directBuffer(capacity, capacity);
        frameCut = true; // a new frame began in this read
    }

    /** Makes room for {@code n} more bytes of the partial frame, at most its length in all. */
    private void ensureWritable(int n) {
        if (partial.writableBytes() >= n) {
            return;
        }
        int needed = partial.writerIndex() + n;
        int capacity = (int) Math.min(partialLength, Math.max(needed, 2L * partial.capacity()));
        ByteBuf bigger = ctx.alloc().directBuffer(capacity, capacity);
        bigger.writeBytes(partial, partial.readerIndex(), partial.readableBytes());
        partial.release();
        partial = bigger;
    }

    /** Fires the partial frame once it is whole; otherwise grows its buffer if it is full. */
    private void completeOrGrowPartial() {
        if (partial.writerIndex() == partialLength) {
            ByteBuf value = partial;
            partial = null;
            frameCut = true;
            fire(new Frame(partialType, value));
        } else if (!partial.isWritable()) {
            ensureWritable(Math.min(partialLength - partial.writerIndex(), partial.capacity()));
        }
    }

    private void fire(Frame frame) {
        firedSinceComplete = true;
        ctx.fireChannelRead(frame);
    }

    private void fail(FrameError error) {
        discarding = true;
        releasePartial();
        ctx.channel().config().setAutoRead(false);
        events.badFrame(connection, error);
        ctx.close();
    }

    /** Bytes of the frame being received that have arrived; 0 when none is held. */
    int bufferedBytes() {
        return partial != null ? HEADER_LENGTH + partial.writerIndex() : headerFill;
    }

    /** After each read: start, restart or stop the deadline of the partial frame held. */
    private void trackPartialFrame() {
        if (bufferedBytes() == 0) {
            partialSinceNanos = 0;
            return;
        }
        if (partialSinceNanos == 0 || frameCut) {
            // a new frame began in this read
            partialSinceNanos = System.nanoTime();
        }
        if (deadline == null) {
            scheduleDeadline(frameReadTimeoutNanos);
        }
    }

    private void scheduleDeadline(long delayNanos) {
        deadline = ctx.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        deadline = null;
        if (partialSinceNanos == 0 || discarding || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // The broker is not reading (back-pressure): the client cannot be blamed; start over.
            partialSinceNanos = System.nanoTime();
            scheduleDeadline(frameReadTimeoutNanos);
            return;
        }
        long waitedNanos = System.nanoTime() - partialSinceNanos;
        if (waitedNanos < frameReadTimeoutNanos) {
            scheduleDeadline(frameReadTimeoutNanos - waitedNanos);
            return;
        }
        discarding = true;
        int buffered = bufferedBytes();
        releasePartial();
        ctx.channel().config().setAutoRead(false);
        events.slowFrame(connection, buffered, TimeUnit.NANOSECONDS.toMillis(waitedNanos));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePartial(); // a client that disconnects mid-frame: its partial frame is dropped
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        releasePartial();
    }

    private void releasePartial() {
        ReferenceCountUtil.safeRelease(partial);
        partial = null;
        headerFill = 0;
        header.clear();
    }
}
