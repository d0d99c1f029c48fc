package io.cairn.broker.network;

import io.cairn.protocol.FileSlice;
import io.netty.channel.DefaultFileRegion;

/**
 * A {@link DefaultFileRegion} over a log file that storage owns: releasing the region (Netty
 * releases it once it is written, or when the write fails) leaves the {@code FileChannel} open.
 *
 * <p>{@code DefaultFileRegion.deallocate()} closes its channel, which would close the shared log
 * file under every other reader of the segment. Storage keeps the channel open for as long as a
 * slice of it may be in flight, so the region must never close it. Keeping the
 * {@code DefaultFileRegion} type (rather than a custom {@code FileRegion}) lets the epoll
 * transport use its native {@code sendfile} path.
 */
public final class SharedFileRegion extends DefaultFileRegion {

    public SharedFileRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.length());
    }

    @Override
    protected void deallocate() {
        // The channel belongs to storage; see the class comment.
    }
}
