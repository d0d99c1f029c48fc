package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers out of a segment file: through the segment's read-only header mapping where
 * it covers the position (no syscall), else through a small window, so a forward scan over
 * batches of a few hundred bytes costs one {@code pread} per window rather than one per batch.
 *
 * <p>Not thread-safe: each reading thread uses its own instance ({@link #forThread()}). The
 * window is only reused within one operation ({@link #reset()} between operations), because a
 * truncation followed by new appends may change bytes at a position already windowed.
 */
final class BatchHeaderReader {
    static final int WINDOW_BYTES = 4096;
    private static final ThreadLocal<BatchHeaderReader> PER_THREAD = ThreadLocal.withInitial(BatchHeaderReader::new);

    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES);
    /** Where the current header is read from: the window, or the segment's header mapping. */
    private ByteBuffer current = window;
    private FileChannel windowChannel;
    private long windowStart;
    private int windowLength;
    private int headerAt;

    static BatchHeaderReader forThread() {
        BatchHeaderReader reader = PER_THREAD.get();
        reader.reset();
        return reader;
    }

    void reset() {
        windowChannel = null;
        windowLength = 0;
    }

    /**
     * Loads the header of the batch at {@code position}; the batch must end at or before
     * {@code limit}. Throws {@link CorruptLogException} if there is no structurally valid batch
     * header there: data below a segment's published size has been validated, so this is damage.
     */
    void read(LogSegment segment, long position, long limit) throws IOException {
        ByteBuffer map = limit - position >= HEADER_SIZE ? segment.headerMap(position + HEADER_SIZE) : null;
        if (map != null) {
            current = map;
            headerAt = (int) position;
        } else if (load(segment.channel(), position, limit)) {
            current = window;
        } else {
            throw segment.corrupt(position, "batch header truncated: " + (limit - position)
                + " bytes before limit " + limit);
        }
        int length = batchLength();
        if (length < MIN_BATCH_LENGTH || position + LOG_OVERHEAD + (long) length > limit) {
            throw segment.corrupt(position, "batchLength=" + length + " outside [" + MIN_BATCH_LENGTH + ", "
                + (limit - position - LOG_OVERHEAD) + "]");
        }
        if (magic() != MAGIC_V2) {
            throw segment.corrupt(position, "magic=" + magic() + " expected=" + MAGIC_V2);
        }
        if (lastOffsetDelta() < 0) {
            throw segment.corrupt(position, "lastOffsetDelta=" + lastOffsetDelta() + " is negative");
        }
    }

    /** Windows the header at {@code position}; false if fewer than a header's bytes exist before {@code limit}. */
    private boolean load(FileChannel channel, long position, long limit) throws IOException {
        if (limit - position < HEADER_SIZE) {
            return false;
        }
        if (channel != windowChannel || position < windowStart || position + HEADER_SIZE > windowStart + windowLength) {
            window.clear();
            window.limit((int) Math.min(WINDOW_BYTES, limit - position));
            while (window.position() < HEADER_SIZE) {
                int n = channel.read(window, position + window.position());
                if (n < 0) {
                    windowChannel = null;
                    return false;
                }
            }
            windowChannel = channel;
            windowStart = position;
            windowLength = window.position();
        }
        headerAt = (int) (position - windowStart);
        return true;
    }

    long baseOffset() {
        return BatchHeaders.baseOffset(current, headerAt);
    }

    int batchLength() {
        return BatchHeaders.batchLength(current, headerAt);
    }

    int batchSize() {
        return BatchHeaders.batchSize(current, headerAt);
    }

    int partitionLeaderEpoch() {
        return BatchHeaders.partitionLeaderEpoch(current, headerAt);
    }

    int recordCount() {
        return BatchHeaders.recordCount(current, headerAt);
    }

    byte magic() {
        return BatchHeaders.magic(current, headerAt);
    }

    int lastOffsetDelta() {
        return BatchHeaders.lastOffsetDelta(current, headerAt);
    }

    long lastOffset() {
        return BatchHeaders.lastOffset(current, headerAt);
    }

    long maxTimestamp() {
        return BatchHeaders.maxTimestamp(current, headerAt);
    }
}
