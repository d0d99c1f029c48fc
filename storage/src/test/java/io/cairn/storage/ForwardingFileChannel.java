package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.function.Predicate;

/** A FileChannel that forwards to a real one; tests override the calls they want to break. */
class ForwardingFileChannel extends FileChannel {
    /** The segment data files, the ones most hooks break. */
    static final Predicate<Path> LOG_FILES = path -> path.getFileName().toString().endsWith(LogFileNames.LOG_SUFFIX);

    /** Builds the hooked channel around a freshly opened real one. */
    @FunctionalInterface
    interface Hook {
        FileChannel wrap(FileChannel real, Path path) throws IOException;
    }

    /** A factory that opens every file for real and hands the channels of the files {@code which} accepts to {@code hook}. */
    static FileChannelFactory factory(Predicate<Path> which, Hook hook) {
        return (path, options) -> {
            FileChannel real = FileChannel.open(path, options);
            return which.test(path) ? hook.wrap(real, path) : real;
        };
    }

    protected final FileChannel delegate;
    protected final Path path;

    ForwardingFileChannel(FileChannel delegate, Path path) {
        this.delegate = delegate;
        this.path = path;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        delegate.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
