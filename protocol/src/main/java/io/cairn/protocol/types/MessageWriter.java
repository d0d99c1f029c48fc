package io.cairn.protocol.types;

import io.cairn.protocol.FileSlice;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where encoders write: a growing {@link ByteBuf} for the message's own fields, plus, in chunked
 * mode, record bytes kept aside as separate chunks so they are never copied.
 *
 * <p>In chunked mode the output is an ordered list of chunks, each a {@code ByteBuf} or a
 * {@link FileSlice}: slices of the writer's buffer interleaved with the record chunks, in wire
 * order. A network layer writes the ByteBufs as they are and each FileSlice as a
 * {@code DefaultFileRegion} (sendfile). In inline mode record bytes held in memory are copied
 * into the buffer and file-backed records are refused.
 *
 * <p>Not thread-safe: one encoder uses a writer from creation to {@link #finish()} or
 * {@link #abort()}.
 */
public final class MessageWriter {
    private final ByteBuf buf;
    private final boolean chunked;
    private Object[] externals = new Object[0];
    private int[] splitIndices = new int[0];
    private int externalCount;
    private long externalBytes;

    private MessageWriter(ByteBuf buf, boolean chunked) {
        this.buf = buf;
        this.chunked = chunked;
    }

    /**
     * A writer that keeps record bytes as separate chunks. It takes ownership of {@code buf}:
     * {@link #finish()} hands it out as slices, {@link #abort()} releases it.
     */
    public static MessageWriter chunked(ByteBuf buf) {
        return new MessageWriter(buf, true);
    }

    /** A writer that copies every byte into {@code buf}; the caller keeps ownership of {@code buf}. */
    public static MessageWriter inline(ByteBuf buf) {
        return new MessageWriter(buf, false);
    }

    /** The buffer the message's own fields are written to. */
    public ByteBuf buf() {
        return buf;
    }

    /** Bytes written so far into the buffer (from its reader index) plus the record chunks. */
    public long writtenBytes() {
        return buf.readableBytes() + externalBytes;
    }

    /**
     * Appends the readable bytes of {@code data} without consuming or releasing it: in chunked
     * mode as a retained duplicate (no copy), in inline mode as a copy.
     */
    public void writeRecords(ByteBuf data) {
        if (chunked) {
            if (data.isReadable()) {
                addExternal(data.retainedDuplicate(), data.readableBytes());
            }
        } else {
            buf.writeBytes(data, data.readerIndex(), data.readableBytes());
        }
    }

    /** Appends a file slice as a chunk of its own; only a chunked writer accepts one. */
    public void writeRecords(FileSlice slice) {
        if (!chunked) {
            throw new EncodeException("records in a file slice (length " + slice.length()
                    + ") need a chunked writer; an inline writer cannot copy them");
        }
        if (slice.length() > 0) {
            addExternal(slice, slice.length());
        }
    }

    private void addExternal(Object chunk, int length) {
        if (externalCount == externals.length) {
            int capacity = Math.max(4, externalCount * 2);
            externals = Arrays.copyOf(externals, capacity);
            splitIndices = Arrays.copyOf(splitIndices, capacity);
        }
        externals[externalCount] = chunk;
        splitIndices[externalCount] = buf.writerIndex();
        externalCount++;
        externalBytes += length;
    }

    /**
     * Ends a chunked writer: returns the chunks in wire order and gives up the writer's
     * reference to its buffer (each buffer slice returned holds its own). The caller owns the
     * returned ByteBufs.
     */
    public List<Object> finish() {
        if (!chunked) {
            throw new IllegalStateException("finish() is for chunked writers; an inline writer's output is its buffer");
        }
        if (externalCount == 0) {
            return List.of(buf);
        }
        List<Object> chunks = new ArrayList<>(externalCount * 2 + 1);
        int from = buf.readerIndex();
        for (int i = 0; i < externalCount; i++) {
            int to = splitIndices[i];
            if (to > from) {
                chunks.add(buf.retainedSlice(from, to - from));
            }
            chunks.add(externals[i]);
            from = to;
        }
        if (buf.writerIndex() > from) {
            chunks.add(buf.retainedSlice(from, buf.writerIndex() - from));
        }
        buf.release();
        externalCount = 0;
        return chunks;
    }

    /** Abandons a chunked writer after a failure: releases its buffer and retained record chunks. */
    public void abort() {
        if (!chunked) {
            return;
        }
        for (int i = 0; i < externalCount; i++) {
            if (externals[i] instanceof ByteBuf b) {
                b.release();
            }
        }
        externalCount = 0;
        buf.release();
    }
}
