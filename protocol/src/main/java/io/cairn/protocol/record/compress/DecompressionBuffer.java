package io.cairn.protocol.record.compress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A growable byte array that decompressed records are written into, reused from batch to batch,
 * with a hard cap on its size: growth past {@link #maxBytes()} fails with
 * {@link DecompressedSizeExceededException} before anything is allocated, so a zip bomb fails
 * cleanly instead of exhausting the heap. Growth is geometric, so after warm-up decompressing a
 * batch allocates nothing here.
 *
 * <p>Not thread-safe: owned by one reader.
 */
public final class DecompressionBuffer {
    private static final int INITIAL_CAPACITY = 4096;

    private final int maxBytes;
    private byte[] array;
    private int size;
    private ByteBuffer view;

    /** An empty buffer that may grow to {@code maxBytes}. */
    public DecompressionBuffer(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.array = new byte[Math.min(INITIAL_CAPACITY, maxBytes)];
    }

    /** The cap on {@link #size()}. */
    public int maxBytes() {
        return maxBytes;
    }

    /** Bytes written since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    /** The backing array; valid bytes are {@code [0, size())}. Replaced when the buffer grows. */
    public byte[] array() {
        return array;
    }

    /** Forgets the content, keeping the memory. */
    public void clear() {
        size = 0;
    }

    /**
     * A heap {@link ByteBuffer} over the backing array (position 0, limit {@link #size()}),
     * reused until the array grows. Valid until the next write or clear.
     */
    public ByteBuffer byteBuffer() {
        if (view == null || view.array() != array) {
            view = ByteBuffer.wrap(array);
        }
        view.clear().limit(size);
        return view;
    }

    /**
     * Makes room for {@code bytes} more bytes and counts them as written; returns the array
     * offset where the caller must put them (the array may have been replaced).
     */
    public int reserve(int bytes) throws DecompressedSizeExceededException {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
        ensureCapacity((long) size + bytes);
        int at = size;
        size += bytes;
        return at;
    }

    /** Appends everything {@code in} yields until end of stream. */
    public void readFully(InputStream in) throws IOException {
        while (true) {
            if (size == array.length) {
                // Probe for one more byte before growing, so output of exactly the cap still fits.
                int b = in.read();
                if (b < 0) {
                    return;
                }
                ensureCapacity((long) size + 1);
                array[size++] = (byte) b;
                continue;
            }
            int n = in.read(array, size, array.length - size);
            if (n < 0) {
                return;
            }
            size += n;
        }
    }

    private void ensureCapacity(long required) throws DecompressedSizeExceededException {
        if (required > maxBytes) {
            throw new DecompressedSizeExceededException(maxBytes, required);
        }
        if (required > array.length) {
            long grown = Math.max(required, (long) array.length * 2);
            byte[] larger = new byte[(int) Math.min(grown, maxBytes)];
            System.arraycopy(array, 0, larger, 0, size);
            array = larger;
        }
    }
}
