package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads batch headers out of a segment file with positional reads ({@code pread}) into a direct
 * buffer of its own, as Kafka does; the file is never mapped. How much one read takes:
 * <ul>
 *   <li>after a batch of {@link #HEADER_ONLY_FROM_BYTES} or more, just the header: the next
 *       header is probably beyond any window worth copying, and a read of 61 bytes costs little
 *       more than the system call;</li>
 *   <li>otherwise a window of {@link #MIN_WINDOW_BYTES}, doubled up to {@link #MAX_WINDOW_BYTES}
 *       while an operation keeps scanning forward past the end of the previous window, so a scan
 *       over small batches (a slice's check) costs one {@code pread} per window rather than one
 *       per batch, and a lookup's short walk from an index entry one small read.</li>
 * </ul>
 *
 * <p>Why not a mapping: the page cache behind a mapping counts in the process's resident set once
 * touched, and the kernel's fault-around maps the neighbouring pages of each header read (with
 * 64 KiB batches nearly the whole file), so every segment a consumer had read stayed in the
 * broker's RSS until it was removed. Bytes read with {@code pread} stay in the page cache only.
 *
 * <p>Not thread-safe: each reading thread uses its own instance ({@link #forThread()}); no
 * allocation per read. The window is only reused within one operation ({@link #reset()} between
 * operations), because a truncation followed by new appends may change bytes at a position
 * already windowed; the size of the last batch seen is kept across operations (a hint for the
 * size of the next read, never data).
 */
final class BatchHeaderReader {
    static final int MIN_WINDOW_BYTES = 4096;
    static final int MAX_WINDOW_BYTES = 64 * 1024;
    static final int HEADER_ONLY_FROM_BYTES = 8192;
    private static final ThreadLocal<BatchHeaderReader> PER_THREAD = ThreadLocal.withInitial(BatchHeaderReader::new);

    private final ByteBuffer window = ByteBuffer.allocateDirect(MAX_WINDOW_BYTES);
    private FileChannel windowChannel;
    private long windowStart;
    private int windowLength;
    private int headerAt;
    /** Bytes the next window read takes (unless it reads a header only). */
    private int nextWindowBytes = MIN_WINDOW_BYTES;
    /** Size of the last batch read: whether the next read takes a window or only a header. */
    private int lastBatchSize;

    static BatchHeaderReader forThread() {
        BatchHeaderReader reader = PER_THREAD.get();
        reader.reset();
        return reader;
    }

    void reset() {
        windowChannel = null;
        windowLength = 0;
        nextWindowBytes = MIN_WINDOW_BYTES;
    }

    /**
     * Loads the header of the batch at {@code position}; the batch must end at or before
     * {@code limit}. Throws {@link CorruptLogException} if there is no structurally valid batch
     * header there: data below a segment's published size has been validated, so this is damage.
     */
    void read(LogSegment segment, long position, long limit) throws IOException {
        if (!load(segment.channel(), position, limit)) {
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
        lastBatchSize = LOG_OVERHEAD + length;
    }

    /** True if the window holds the whole header at {@code position} of {@code channel}: reading it costs no I/O. */
    boolean holds(FileChannel channel, long position) {
        return channel == windowChannel && position >= windowStart && position + HEADER_SIZE <= windowStart + windowLength;
    }

    /**
     * Makes the header at {@code position} readable from the window, reading the file if the window
     * does not hold it; false if fewer than a header's bytes exist before {@code limit} or in the file.
     */
    private boolean load(FileChannel channel, long position, long limit) throws IOException {
        if (limit - position < HEADER_SIZE) {
            return false;
        }
        if (channel != windowChannel || position < windowStart || position + HEADER_SIZE > windowStart + windowLength) {
            int want = readBytes(channel, position);
            windowChannel = null;
            window.clear();
            window.limit((int) Math.min(want, limit - position));
            while (window.position() < HEADER_SIZE) {
                int n = channel.read(window, position + window.position());
                if (n < 0) {
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

    /** Size of the read that loads the header at {@code position}, which the window does not hold. */
    private int readBytes(FileChannel channel, long position) {
        if (lastBatchSize >= HEADER_ONLY_FROM_BYTES) {
            return HEADER_SIZE;
        }
        boolean forward = channel == windowChannel && position > windowStart && position <= windowStart + windowLength;
        int bytes = forward ? nextWindowBytes : MIN_WINDOW_BYTES;
        nextWindowBytes = Math.min(MAX_WINDOW_BYTES, bytes * 2);
        return bytes;
    }

    long baseOffset() {
        return BatchHeaders.baseOffset(window, headerAt);
    }

    int batchLength() {
        return BatchHeaders.batchLength(window, headerAt);
    }

    int batchSize() {
        return BatchHeaders.batchSize(window, headerAt);
    }

    int partitionLeaderEpoch() {
        return BatchHeaders.partitionLeaderEpoch(window, headerAt);
    }

    int recordCount() {
        return BatchHeaders.recordCount(window, headerAt);
    }

    byte magic() {
        return BatchHeaders.magic(window, headerAt);
    }

    int lastOffsetDelta() {
        return BatchHeaders.lastOffsetDelta(window, headerAt);
    }

    long lastOffset() {
        return BatchHeaders.lastOffset(window, headerAt);
    }

    long maxTimestamp() {
        return BatchHeaders.maxTimestamp(window, headerAt);
    }
}
