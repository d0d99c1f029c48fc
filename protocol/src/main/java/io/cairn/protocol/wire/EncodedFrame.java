package io.cairn.protocol.wire;

import io.cairn.protocol.FileSlice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An encoded frame as an ordered list of chunks, each a {@link ByteBuf} or a {@link FileSlice},
 * whose lengths add up to {@link #frameLength()}. The network layer writes them in order: each
 * ByteBuf as is (Netty releases it once written), each FileSlice as a
 * {@code new DefaultFileRegion(slice.channel(), slice.position(), slice.length())} (sendfile).
 * Record bytes are never copied into the frame's own buffer.
 *
 * <p>The frame owns one reference to each ByteBuf chunk. Hand them all to the channel, or call
 * {@link #release()} if the frame is dropped unsent. Not thread-safe.
 */
public final class EncodedFrame {
    private final int frameLength;
    private final List<Object> chunks;

    EncodedFrame(int frameLength, List<Object> chunks) {
        this.frameLength = frameLength;
        this.chunks = chunks;
    }

    /** Total bytes on the wire, the 6-byte frame header included. */
    public int frameLength() {
        return frameLength;
    }

    /** The chunks in wire order: {@link ByteBuf}s and {@link FileSlice}s. */
    public List<Object> chunks() {
        return chunks;
    }

    /** Releases every ByteBuf chunk; for a frame that will not be written. */
    public void release() {
        for (Object chunk : chunks) {
            if (chunk instanceof ByteBuf buf) {
                buf.release();
            }
        }
    }

    /**
     * Copies the whole frame into one new buffer, reading file slices with positional reads, and
     * releases the chunks. For tests and tools; the broker never calls this.
     */
    public ByteBuf toByteBuf(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(frameLength);
        try {
            for (Object chunk : chunks) {
                if (chunk instanceof ByteBuf buf) {
                    out.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
                } else {
                    FileSlice slice = (FileSlice) chunk;
                    ByteBuffer target = out.nioBuffer(out.writerIndex(), slice.length());
                    long position = slice.position();
                    while (target.hasRemaining()) {
                        int n = slice.channel().read(target, position);
                        if (n < 0) {
                            throw new IOException("file slice " + slice + " ends early at position " + position);
                        }
                        position += n;
                    }
                    out.writerIndex(out.writerIndex() + slice.length());
                }
            }
            return out;
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException(e);
        } finally {
            release();
        }
    }
}
