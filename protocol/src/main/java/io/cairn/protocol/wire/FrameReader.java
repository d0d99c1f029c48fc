package io.cairn.protocol.wire;

import io.netty.buffer.ByteBuf;

/**
 * Cuts frames from a cumulation buffer: a pure function over a {@link ByteBuf}, called by the
 * broker's and the client's Netty decoders. It checks the declared length against
 * {@code max.frame.bytes} before anything is allocated, and hands out each frame's value as a
 * retained slice of the cumulation (the payload is never copied).
 *
 * <p>Stateless apart from its limit: may be shared between connections and threads.
 *
 * <pre>{@code
 * // in a ByteToMessageDecoder
 * while (true) {
 *     FrameReadResult r = reader.read(in);
 *     if (r instanceof Frame frame) { out.add(frame); }
 *     else if (r instanceof FrameError error) { close the connection, log error.message(); return; }
 *     else { return; } // NEED_MORE_BYTES
 * }
 * }</pre>
 */
public final class FrameReader {
    private final int maxFrameBytes;

    /**
     * @param maxFrameBytes the largest value length accepted ({@code max.frame.bytes})
     */
    public FrameReader(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("max.frame.bytes=" + maxFrameBytes + " (expected: >= 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The limit this reader enforces. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Reads one frame from the start of {@code in}'s readable bytes. On {@link Frame} the frame's
     * bytes are consumed; on {@link FrameReadResult#NEED_MORE_BYTES} and {@link FrameError} nothing is.
     */
    public FrameReadResult read(ByteBuf in) {
        if (in.readableBytes() < FrameDescriptor.HEADER_LENGTH) {
            return FrameReadResult.NEED_MORE_BYTES;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start + FrameDescriptor.LENGTH_OFFSET);
        if (length > maxFrameBytes) {
            return error(in, start, length);
        }
        if (in.readableBytes() - FrameDescriptor.HEADER_LENGTH < length) {
            return FrameReadResult.NEED_MORE_BYTES;
        }
        int type = in.getUnsignedShort(start + FrameDescriptor.TYPE_OFFSET);
        in.skipBytes(FrameDescriptor.HEADER_LENGTH);
        return new Frame(type, in.readRetainedSlice((int) length));
    }

    private FrameError error(ByteBuf in, int start, long length) {
        int type = in.getUnsignedShort(start + FrameDescriptor.TYPE_OFFSET);
        FrameError.Reason reason = length > Integer.MAX_VALUE
                ? FrameError.Reason.LENGTH_OUT_OF_RANGE
                : FrameError.Reason.LENGTH_OVER_MAX;
        return new FrameError(reason, type, length, maxFrameBytes);
    }
}
