package io.cairn.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * A connection's receive-buffer allocator: while its {@link FrameDecoder} is receiving a frame that
 * spans socket reads, each read goes straight into that frame's buffer ({@link FrameDecoder#readTarget()}),
 * so a large produce request is not copied from read buffers into a frame buffer; otherwise reads
 * get buffers from the shared allocator it wraps (sizing, read limits and all other decisions are
 * that allocator's).
 *
 * <p>One instance per connection (it knows the connection's decoder); its handle is used only on
 * the connection's event loop.
 */
final class FrameReadAllocator implements RecvByteBufAllocator {
    private final RecvByteBufAllocator delegate;
    private final FrameDecoder decoder;

    FrameReadAllocator(RecvByteBufAllocator delegate, FrameDecoder decoder) {
        this.delegate = delegate;
        this.decoder = decoder;
    }

    @Override
    @SuppressWarnings("deprecation") // RecvByteBufAllocator's own return type; the handle is an ExtendedHandle
    public Handle newHandle() {
        return new FrameHandle((ExtendedHandle) delegate.newHandle(), decoder);
    }

    /** Delegates everything but {@link #allocate}; an {@link ExtendedHandle}, as the epoll transport requires. */
    private static final class FrameHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;
        private final FrameDecoder decoder;

        FrameHandle(ExtendedHandle delegate, FrameDecoder decoder) {
            this.delegate = delegate;
            this.decoder = decoder;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf target = decoder.readTarget();
            return target != null ? target : delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
