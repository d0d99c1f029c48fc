package io.cairn.protocol;

import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A run of whole record batches inside a log file, handed from storage to the network layer so
 * it can be written with sendfile ({@code DefaultFileRegion}) without the bytes passing through
 * the heap.
 *
 * <p>The slice does not own the channel: storage keeps the file open for as long as a reader
 * may hold a slice of it (a deleted segment's channel is closed only after a grace period).
 *
 * @param channel  the open log file
 * @param position absolute byte position of the first batch in the file
 * @param length   number of bytes; always ends on a batch boundary
 */
public record FileSlice(FileChannel channel, long position, int length) {
    public FileSlice {
        Objects.requireNonNull(channel, "channel");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("file slice out of range: position=" + position + " length=" + length);
        }
    }
}
