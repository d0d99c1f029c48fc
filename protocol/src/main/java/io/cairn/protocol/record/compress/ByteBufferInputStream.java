package io.cairn.protocol.record.compress;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads a range of a {@link ByteBuffer} with absolute gets, so the buffer's position and limit
 * never move (the buffer may be shared with other readers). Not thread-safe.
 */
public final class ByteBufferInputStream extends InputStream {
    private final ByteBuffer buffer;
    private int position;
    private final int end;

    /** A stream over {@code buffer[position, position + length)}. */
    public ByteBufferInputStream(ByteBuffer buffer, int position, int length) {
        if (position < 0 || length < 0 || position > buffer.limit() - length) {
            throw new IndexOutOfBoundsException("range position=" + position + " length=" + length
                    + " outside buffer limit=" + buffer.limit());
        }
        this.buffer = buffer;
        this.position = position;
        this.end = position + length;
    }

    @Override
    public int read() {
        return position < end ? buffer.get(position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] dest, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int n = Math.min(length, end - position);
        if (n <= 0) {
            return -1;
        }
        buffer.get(position, dest, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return end - position;
    }
}
