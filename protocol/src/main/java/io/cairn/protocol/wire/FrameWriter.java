package io.cairn.protocol.wire;

import io.cairn.protocol.types.EncodeException;
import io.cairn.protocol.types.MessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes frames: {@link #start} writes the 6-byte frame header with a placeholder length and
 * returns a chunked {@link MessageWriter} for the value; {@link #finish} fills in the length,
 * which is then known before any chunk is sent. Stateless.
 */
public final class FrameWriter {
    /** Initial buffer size: headers and the fields of most messages fit without growing. */
    private static final int INITIAL_CAPACITY = 256;

    private FrameWriter() {
    }

    /** Allocates the frame's buffer and writes its type and a placeholder length. */
    public static MessageWriter start(ByteBufAllocator alloc, int type) {
        ByteBuf buf = alloc.buffer(INITIAL_CAPACITY);
        buf.writeShort(type);
        buf.writeInt(0);
        return MessageWriter.chunked(buf);
    }

    /** Fills in the value length and returns the frame's chunks. */
    public static EncodedFrame finish(MessageWriter out) {
        long total = out.writtenBytes();
        if (total > Integer.MAX_VALUE) {
            out.abort();
            throw new EncodeException("frame of " + total + " bytes exceeds the u32/i32 limit " + Integer.MAX_VALUE);
        }
        ByteBuf buf = out.buf();
        buf.setInt(buf.readerIndex() + FrameDescriptor.LENGTH_OFFSET, (int) total - FrameDescriptor.HEADER_LENGTH);
        return new EncodedFrame((int) total, out.finish());
    }
}
