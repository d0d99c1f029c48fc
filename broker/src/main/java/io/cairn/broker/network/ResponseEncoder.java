package io.cairn.broker.network;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.wire.EncodedFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Turns an {@link EncodedFrame} into what the socket writes: its ByteBuf chunks untouched
 * (header and fields, sent with gathering writes) and each {@link FileSlice} chunk as a
 * {@link SharedFileRegion}, which the transport sends with sendfile, so record bytes served
 * from a log file never enter the JVM heap.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class ResponseEncoder extends MessageToMessageEncoder<EncodedFrame> {

    private static final Module JDK = FileChannel.class.getModule();

    public ResponseEncoder() {
        super(EncodedFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, EncodedFrame frame, List<Object> out) {
        List<Object> chunks = frame.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            Object chunk = chunks.get(i);
            out.add(chunk instanceof FileSlice slice ? region(ctx, slice) : chunk);
        }
    }

    /**
     * The slice as a {@link SharedFileRegion}, or, for a channel that is not the JDK's own (one from a
     * test's fault-injecting {@code FileChannelFactory}), its bytes copied into a buffer: the native
     * sendfile path reads the JDK channel's file descriptor field directly and would crash the JVM on
     * any other class.
     */
    private static Object region(ChannelHandlerContext ctx, FileSlice slice) {
        FileChannel channel = slice.channel();
        if (channel.getClass().getModule() == JDK) {
            return new SharedFileRegion(slice);
        }
        ByteBuf copy = ctx.alloc().ioBuffer(slice.length());
        try {
            ByteBuffer dst = copy.nioBuffer(0, slice.length());
            while (dst.hasRemaining()) {
                if (channel.read(dst, slice.position() + dst.position()) < 0) {
                    throw new EOFException("end of file at position=" + (slice.position() + dst.position()));
                }
            }
            return copy.writerIndex(slice.length());
        } catch (IOException e) {
            copy.release();
            throw new UncheckedIOException("reading a slice of " + slice.length() + " bytes at position="
                    + slice.position() + " failed: " + e, e);
        }
    }
}
