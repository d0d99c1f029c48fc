package io.cairn.client.network;

import io.cairn.protocol.wire.FrameDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits the bytes a broker sends into whole response frames ({@code type:u16 length:u32 value},
 * DESIGN.md) and passes each on as one buffer holding its header and value.
 *
 * <p>A frame that lies whole inside one read is passed on as a slice of the read buffer, without
 * copying. A frame that spans reads gets, as soon as its header is known, one buffer of exactly its
 * size from the channel's (pooled) allocator, which the following reads fill; unlike a cumulating
 * decoder it never grows a buffer by reallocating and copying what it already holds, which matters
 * for fetch responses of megabytes. The declared length is checked against the limit before
 * anything is allocated.
 *
 * <p>One instance per channel, used only on that channel's event loop.
 */
final class ResponseFrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int HEADER_LENGTH = FrameDescriptor.HEADER_LENGTH;

    private final BrokerAddress broker;
    private final int maxValueBytes;
    /** The header of the next frame while it spans reads: its first {@link #headerFill} bytes. */
    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFill;
    /** The frame being filled, exactly sized, header included; null between frames. */
    private ByteBuf partial;
    private boolean failed;

    /**
     * @param broker the peer, named in errors
     * @param maxValueBytes the largest frame value accepted ({@code max.response.frame.bytes})
     */
    ResponseFrameDecoder(BrokerAddress broker, int maxValueBytes) {
        this.broker = broker;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!failed) {
                decode(ctx, in);
            }
        } finally {
            in.release();
        }
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            if (partial != null) {
                partial.writeBytes(in, Math.min(partial.writableBytes(), in.readableBytes()));
                if (!partial.isWritable()) {
                    ByteBuf frame = partial;
                    partial = null;
                    ctx.fireChannelRead(frame);
                }
            } else if (headerFill == 0 && in.readableBytes() >= HEADER_LENGTH) {
                int frameBytes = frameBytes(in.getUnsignedInt(in.readerIndex() + FrameDescriptor.LENGTH_OFFSET));
                if (in.readableBytes() >= frameBytes) {
                    ByteBuf frame = in.retainedSlice(in.readerIndex(), frameBytes);
                    in.skipBytes(frameBytes);
                    ctx.fireChannelRead(frame);
                } else {
                    partial = ctx.alloc().buffer(frameBytes, frameBytes);
                    partial.writeBytes(in);
                }
            } else {
                int n = Math.min(HEADER_LENGTH - headerFill, in.readableBytes());
                in.readBytes(header, headerFill, n);
                headerFill += n;
                if (headerFill == HEADER_LENGTH) {
                    headerFill = 0;
                    int frameBytes = frameBytes(lengthInHeader());
                    partial = ctx.alloc().buffer(frameBytes, frameBytes);
                    partial.writeBytes(header);
                    if (!partial.isWritable()) {
                        ByteBuf frame = partial;
                        partial = null;
                        ctx.fireChannelRead(frame);
                    }
                }
            }
        }
    }

    private long lengthInHeader() {
        int at = FrameDescriptor.LENGTH_OFFSET;
        return (header[at] & 0xffL) << 24 | (header[at + 1] & 0xffL) << 16 | (header[at + 2] & 0xffL) << 8
                | (header[at + 3] & 0xffL);
    }

    /** The whole frame's size for a declared value length, after checking it against the limit. */
    private int frameBytes(long valueLength) {
        if (valueLength > maxValueBytes || valueLength > Integer.MAX_VALUE - HEADER_LENGTH) {
            failed = true;
            throw new TooLongFrameException("response frame from " + broker + " declares " + valueLength
                    + " value bytes, which exceeds max.response.frame.bytes=" + maxValueBytes);
        }
        return HEADER_LENGTH + (int) valueLength;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePartial();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        headerFill = 0;
    }
}
