package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;
import static io.cairn.protocol.record.RecordBatchDescriptor.NO_TIMESTAMP;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.InvalidRecordBatchException.Reason;
import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: an ordered set of {@link LogSegment}s in {@code <data-dir>/<topic>-<partition>/},
 * the last of which (the active segment) takes appends.
 *
 * <p>Threading:
 * <ul>
 *   <li>{@link #append}, {@link #roll}, {@link #truncateTo}, retention and the cleaner's segment swap
 *       run under the log's lock: one writer at a time. Batches are validated before the lock is taken.</li>
 *   <li>{@link #read}, {@link #offsetForTimestamp} and every accessor are lock-free: the end offset and
 *       high watermark are published through volatile fields after the bytes are in the file, and the
 *       segment map is a concurrent skip list.</li>
 *   <li>{@link #flush} runs on the flush thread under a separate flush lock, so appends continue while
 *       the file is forced. Whatever renames or deletes segment files (truncation, retention, the
 *       cleaner's swap) takes the flush lock too, after the log's lock, so a flush never forces a
 *       segment removed under it.</li>
 *   <li>Segments removed by retention or compaction keep their channel open for
 *       {@code file.delete.delay.ms}, so a {@link FileSlice} already handed out stays readable.</li>
 * </ul>
 * An I/O error (a failed write or fsync) takes the log offline for good: every later append, flush
 * or cleaning throws {@link LogOfflineException}; fsync is never retried.
 */
public final class Log {
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final TopicPartition topicPartition;
    private final LogEnvironment env;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final CopyOnWriteArrayList<EndOffsetListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dirNeedsSync = new AtomicBoolean();
    private final AtomicLong flushCount = new AtomicLong();
    private volatile Path dir;
    private volatile LogConfig config;
    private volatile LogOffsetMetadata endOffset;
    private volatile LogOffsetMetadata highWatermark;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile Throwable offlineCause;
    private volatile boolean closed;
    private volatile boolean flushRequested;
    /** The epochs the batches carry; replaced (never changed) by the writer, before any batch of a new epoch is written. */
    private volatile LeaderEpochs leaderEpochs;

    Log(TopicPartition topicPartition, Path dir, LogConfig config, LogEnvironment env,
        ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long recoveryPoint,
        long logEndOffset, LeaderEpochs leaderEpochs) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.env = env;
        this.segments = segments;
        LogSegment active = segments.lastEntry().getValue();
        this.endOffset = new LogOffsetMetadata(logEndOffset, active.baseOffset(), active.size());
        this.highWatermark = endOffset;
        this.logStartOffset = logStartOffset;
        this.recoveryPoint = Math.min(recoveryPoint, logEndOffset);
        this.lastFlushMs = env.clock().millis();
        this.leaderEpochs = Objects.requireNonNull(leaderEpochs, "leaderEpochs");
    }

    /**
     * Opens (recovering if needed) or creates the log in {@code dir} outside any manager: used by
     * tools and tests. {@code cleanShutdown} = the previous run closed the log cleanly;
     * {@code recoveryPoint} = offset below which data is known flushed (0 if unknown).
     */
    static Log open(Path dir, TopicPartition tp, LogConfig config, LogEnvironment env, boolean cleanShutdown,
                    long recoveryPoint, long logStartOffset) {
        return new LogLoader(dir, tp, config, env, cleanShutdown, recoveryPoint, logStartOffset).load();
    }

    // ------------------------------------------------------------------ accessors

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /** The partition directory. */
    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /**
     * Replaces the configuration of the live log (AlterConfigs). Takes effect for the next append
     * (segment and index sizes apply from the next roll), the next retention pass and the next cleaning.
     */
    public void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "config");
    }

    /** First offset still in the log. */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** Offset the next appended record will get (last offset + 1). */
    public long logEndOffset() {
        return endOffset.offset();
    }

    /**
     * Offset below which records are visible to consumers. With a single replica it follows the
     * end offset after every append; replication will drive it through {@link #updateHighWatermark}.
     */
    public long highWatermark() {
        return highWatermark.offset();
    }

    /** Offset below which every batch is known to be on disk (forced). */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Total bytes of all segment files. */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Number of times this log was forced to disk (a measure of group commit). */
    public long flushCount() {
        return flushCount.get();
    }

    /** Wall-clock time of the last completed flush (or of opening). */
    public long lastFlushMs() {
        return lastFlushMs;
    }

    public boolean isOffline() {
        return offlineCause != null;
    }

    /** The I/O failure that took the log offline, if any. */
    public Optional<Throwable> offlineCause() {
        return Optional.ofNullable(offlineCause);
    }

    public void addEndOffsetListener(EndOffsetListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeEndOffsetListener(EndOffsetListener listener) {
        listeners.remove(listener);
    }

    /** The leader epoch of the newest batches (the last {@link #append} epoch); -1 if nothing was appended yet. */
    public int latestLeaderEpoch() {
        return leaderEpochs.latestEpoch();
    }

    /** The leader epochs and the offsets they began at (tests, tools). */
    LeaderEpochs leaderEpochs() {
        return leaderEpochs;
    }

    /** Messages appended but not yet forced (end offset - recovery point). */
    public long unflushedMessages() {
        return endOffset.offset() - recoveryPoint;
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends one or more whole, already validated v2 batches held in {@code batches} between its
     * position and limit. Assigns offsets by overwriting each batch's {@code baseOffset} in place
     * (consecutive: each batch starts right after the previous one's last offset) and stamps
     * {@code partitionLeaderEpoch}; the CRC does not cover those fields, so nothing is re-encoded.
     * The whole buffer goes to the file in one positional write. The buffer's position and limit
     * are not changed. Rolls to a new segment first if {@code segment.bytes}, {@code segment.ms} or
     * a full index requires it.
     *
     * <p>{@code leaderEpoch} is the appending leader's epoch: the same as the last append's, or a
     * higher one (a new leader), which first records a new entry in the partition's
     * {@code leader-epoch-checkpoint} (written and forced before the batches, the one force on
     * this path; once per partition and epoch). Reads and recovery check every batch's epoch
     * against those entries.
     *
     * <p>One writer at a time (the log's lock); safe to call from any thread, but the call may block
     * on disk I/O for the write (never for fsync: flushes happen on the flush thread).
     *
     * @throws InvalidRecordBatchException   (the protocol module's) the buffer is not a sequence of whole v2
     *                                       batches; reason {@code BATCH_TOO_LARGE} if a batch exceeds
     *                                       {@code max.message.bytes} or {@code segment.bytes}. Nothing is appended.
     * @throws LogOfflineException           the log is offline, or the write failed (it is offline now)
     * @throws IllegalArgumentException      {@code leaderEpoch} is negative or below the latest epoch; nothing is appended
     */
    public LogAppendResult append(ByteBuffer batches, int leaderEpoch) {
        LogConfig cfg = config;
        int batchCount = validate(batches, cfg);
        LogAppendResult result;
        lock.lock();
        try {
            checkWritable();
            long first = endOffset.offset();
            if (leaderEpoch != leaderEpochs.latestEpoch()) {
                beginEpoch(leaderEpoch, first);
            }
            long next = first;
            long maxTimestamp = NO_TIMESTAMP;
            long offsetOfMaxTimestamp = first;
            for (int pos = batches.position(); pos < batches.limit(); pos += BatchHeaders.batchSize(batches, pos)) {
                BatchHeaders.setBaseOffset(batches, pos, next);
                BatchHeaders.setPartitionLeaderEpoch(batches, pos, leaderEpoch);
                long last = next + BatchHeaders.lastOffsetDelta(batches, pos);
                long ts = BatchHeaders.maxTimestamp(batches, pos);
                if (ts > maxTimestamp) {
                    maxTimestamp = ts;
                    offsetOfMaxTimestamp = last;
                }
                next = last + 1;
            }
            int bytes = batches.remaining();
            LogSegment segment = maybeRoll(cfg, bytes, next - 1);
            int position = segment.append(batches, cfg.indexIntervalBytes());
            LogOffsetMetadata newEnd = new LogOffsetMetadata(next, segment.baseOffset(), segment.size());
            endOffset = newEnd;
            highWatermark = newEnd;
            result = new LogAppendResult(first, next - 1, maxTimestamp, offsetOfMaxTimestamp, segment.baseOffset(),
                position, bytes, batchCount, logStartOffset);
        } catch (IOException e) {
            throw failed("append", e);
        } finally {
            lock.unlock();
        }
        afterAppend(result.lastOffset() + 1, cfg);
        return result;
    }

    /**
     * Writer only: records that {@code epoch} begins at {@code startOffset} (the end offset) and
     * persists it before any batch of it is written, so the checkpoint never lacks an epoch the log
     * holds. Readers see the new entry before the batches (volatile write before the end offset's).
     */
    private void beginEpoch(int epoch, long startOffset) throws IOException {
        LeaderEpochs current = leaderEpochs;
        if (epoch < 0 || epoch < current.latestEpoch()) {
            throw new IllegalArgumentException(topicPartition + ": append with leader epoch " + epoch
                + " below the latest " + current.latestEpoch() + " (or negative); leader epochs never decrease");
        }
        LeaderEpochs next = current.withEpoch(epoch, startOffset);
        writeEpochs(next);
        leaderEpochs = next;
        LOG.info("{}: leader epoch {} begins at offset {}", topicPartition, epoch, startOffset);
    }

    /**
     * Writer only: replaces {@code leader-epoch-checkpoint}. A full disk while writing it leaves the
     * log online ({@link StorageFullException}, file unchanged); any other failure is thrown for the
     * caller to take the log offline.
     */
    private void writeEpochs(LeaderEpochs epochs) throws IOException {
        new LeaderEpochCheckpointFile(topicPartition, dir, env.channels()).write(epochs);
    }

    private void afterAppend(long newEnd, LogConfig cfg) {
        if (newEnd - recoveryPoint >= cfg.flushMessages() && env.flushRequester() != null && !flushRequested) {
            flushRequested = true;
            env.flushRequester().accept(this);
        }
        EndOffsetListener global = env.endOffsetListener();
        if (global != null) {
            global.endOffsetAdvanced(this, newEnd);
        }
        for (EndOffsetListener l : listeners) {
            l.endOffsetAdvanced(this, newEnd);
        }
    }

    /** Structural checks of the batches, before the lock; returns the batch count. */
    private int validate(ByteBuffer batches, LogConfig cfg) {
        int pos = batches.position();
        int limit = batches.limit();
        if (pos >= limit) {
            throw invalid(Reason.EMPTY_BATCH, pos, "append of an empty buffer");
        }
        int count = 0;
        long offsets = 0;
        while (pos < limit) {
            if (limit - pos < HEADER_SIZE) {
                throw invalid(Reason.TRAILING_BYTES, pos, "only " + (limit - pos) + " bytes left, a batch header needs "
                    + HEADER_SIZE);
            }
            int length = BatchHeaders.batchLength(batches, pos);
            if (length < MIN_BATCH_LENGTH) {
                throw invalid(Reason.BATCH_LENGTH_TOO_SMALL, pos, "batchLength=" + length + " expected >= "
                    + MIN_BATCH_LENGTH);
            }
            if (length > limit - pos - LOG_OVERHEAD) {
                throw invalid(Reason.TRUNCATED_BATCH, pos, "batchLength=" + length + " runs past the buffer ("
                    + (limit - pos - LOG_OVERHEAD) + " bytes left)");
            }
            int size = BatchHeaders.batchSize(batches, pos);
            if (size > cfg.maxMessageBytes() || size > cfg.segmentBytes()) {
                throw invalid(Reason.BATCH_TOO_LARGE, pos, "batch of " + size + " bytes above max.message.bytes="
                    + cfg.maxMessageBytes() + " or segment.bytes=" + cfg.segmentBytes());
            }
            byte magic = BatchHeaders.magic(batches, pos);
            if (magic != MAGIC_V2) {
                throw invalid(Reason.INVALID_MAGIC, pos, "magic=" + magic + " expected=" + MAGIC_V2);
            }
            int delta = BatchHeaders.lastOffsetDelta(batches, pos);
            if (delta < 0) {
                throw invalid(Reason.INVALID_OFFSET_DELTA, pos, "lastOffsetDelta=" + delta + " is negative");
            }
            offsets += delta + 1L;
            pos += size;
            count++;
        }
        if (offsets > Integer.MAX_VALUE) {
            throw invalid(Reason.INVALID_OFFSET_DELTA, batches.position(), "one append spans " + offsets
                + " offsets, above " + Integer.MAX_VALUE);
        }
        return count;
    }

    private InvalidRecordBatchException invalid(Reason reason, int position, String detail) {
        return new InvalidRecordBatchException(reason, topicPartition + ": batch at buffer position=" + position + ": "
            + detail);
    }

    private LogSegment maybeRoll(LogConfig cfg, int bytes, long lastOffset) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        if (active.size() == 0) {
            return active;
        }
        long now = env.clock().millis();
        boolean full = (long) active.size() + bytes > cfg.segmentBytes();
        boolean old = now - active.createdMs() >= cfg.segmentMs();
        boolean offsetsOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || active.indexesFull() || offsetsOverflow) {
            LOG.debug("{}: rolling segment {} (size={}, full={}, aged={}, indexFull={}, offsetOverflow={})",
                topicPartition, active.baseOffset(), active.size(), full, old, active.indexesFull(), offsetsOverflow);
            return rollLocked(cfg);
        }
        return active;
    }

    /**
     * Seals the active segment and starts a new one at the end offset (unless the active segment is
     * empty). Called by the retention pass before deleting an expired active segment; usable by
     * tools. Returns the base offset of the active segment afterwards.
     */
    public long roll() {
        lock.lock();
        try {
            checkWritable();
            return rollLocked(config).baseOffset();
        } catch (IOException e) {
            throw failed("roll", e);
        } finally {
            lock.unlock();
        }
    }

    private LogSegment rollLocked(LogConfig cfg) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        LogOffsetMetadata end = endOffset;
        if (active.size() == 0) {
            return active;
        }
        active.seal();
        LogSegment next;
        try {
            next = LogSegment.create(topicPartition, dir, end.offset(), cfg, env.channels(), env.clock().millis());
        } catch (IOException e) {
            throw rollFailed(end.offset(), e);
        }
        segments.put(next.baseOffset(), next);
        dirNeedsSync.set(true);
        LogOffsetMetadata newEnd = new LogOffsetMetadata(end.offset(), next.baseOffset(), 0);
        endOffset = newEnd;
        if (highWatermark.offset() == newEnd.offset()) {
            highWatermark = newEnd;
        }
        return next;
    }

    /**
     * A roll that could not create the new segment for lack of space: its files are removed again
     * and the sealed segment stays the active one (its full index makes the next append try the
     * roll again), so the log stays online. Any other failure is returned for the caller to take
     * the log offline.
     */
    private IOException rollFailed(long baseOffset, IOException e) {
        if (!StorageFullException.isNoSpace(e)) {
            return e;
        }
        try {
            env.channels().deleteIfExists(LogFileNames.logFile(dir, baseOffset));
            env.channels().deleteIfExists(LogFileNames.indexFile(dir, baseOffset));
            env.channels().deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
        } catch (IOException t) {
            e.addSuppressed(t);
            return e;
        }
        throw new StorageFullException(topicPartition + ": rolling to a new segment at offset " + baseOffset + " in "
            + dir + " failed: " + e.getMessage() + "; nothing appended", e);
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads whole batches from {@code fetchOffset}: the slice starts at the batch containing
     * {@code fetchOffset} (which may begin before it), ends on a batch boundary, holds at most
     * {@code maxBytes} unless the first batch alone is larger (it is then returned whole, so a
     * consumer always progresses), and holds no batch with an offset at or above
     * {@code maxOffsetExclusive} (pass {@link #highWatermark()} for consumers, {@link #logEndOffset()}
     * to read everything). Never blocks; any thread.
     *
     * <p>A fetch offset below the log start offset or above the end offset gives a result with
     * {@link LogReadResult#offsetOutOfRange()} set; a fetch at the end offset (or at the bound)
     * gives an empty result.
     *
     * @throws CorruptLogException if a batch header on the way is damaged (it is not served)
     */
    public LogReadResult read(long fetchOffset, int maxBytes, long maxOffsetExclusive) {
        LogOffsetMetadata end = endOffset;
        LogOffsetMetadata hw = highWatermark;
        long start = logStartOffset;
        if (fetchOffset < start || fetchOffset > end.offset()) {
            return new LogReadResult(null, start, hw.offset(), end.offset(), true);
        }
        // Read after the end offset: it covers every batch up to that end (see beginEpoch).
        LeaderEpochs epochs = leaderEpochs;
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        try {
            LogOffsetMetadata bound = bound(maxOffsetExclusive, end, hw, reader);
            if (fetchOffset >= bound.offset()) {
                return new LogReadResult(null, start, hw.offset(), end.offset(), false);
            }
            Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
            if (entry == null) {
                entry = segments.firstEntry();
            }
            while (entry != null && entry.getKey() <= bound.segmentBaseOffset()) {
                LogSegment segment = entry.getValue();
                int maxPosition = segment.baseOffset() == bound.segmentBaseOffset() ? bound.position() : segment.size();
                int position = segment.findBatchPosition(fetchOffset, maxPosition, reader);
                if (position >= 0) {
                    long firstBaseOffset = reader.baseOffset();
                    int sliceEnd = segment.sliceEnd(position, maxBytes, maxPosition, reader);
                    segment.checkSlice(position, firstBaseOffset, sliceEnd, reader, epochs);
                    FileSlice slice = new FileSlice(segment.channel(), position, sliceEnd - position);
                    long records = segment.countRecordsInWindow(position, sliceEnd, reader);
                    return new LogReadResult(slice, start, hw.offset(), end.offset(), false, records);
                }
                entry = segments.higherEntry(entry.getKey());
            }
            return new LogReadResult(null, start, hw.offset(), end.offset(), false);
        } catch (IOException e) {
            throw new StorageException(topicPartition + ": read at offset " + fetchOffset + " failed: " + e, e);
        }
    }

    /** Where reading must stop for an exclusive offset bound: cached for the end offset and high watermark. */
    private LogOffsetMetadata bound(long maxOffsetExclusive, LogOffsetMetadata end, LogOffsetMetadata hw,
                                    BatchHeaderReader reader) throws IOException {
        if (maxOffsetExclusive >= end.offset()) {
            return end;
        }
        if (maxOffsetExclusive == hw.offset()) {
            return hw;
        }
        return metadataFor(maxOffsetExclusive, reader);
    }

    /** Locates the batch boundary at which {@code offset} starts (the start of the batch containing it). */
    private LogOffsetMetadata metadataFor(long offset, BatchHeaderReader reader) throws IOException {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        if (entry == null) {
            entry = segments.firstEntry();
            return new LogOffsetMetadata(offset, entry.getKey(), 0);
        }
        LogSegment segment = entry.getValue();
        int position = segment.findBatchPosition(offset, segment.size(), reader);
        return new LogOffsetMetadata(offset, segment.baseOffset(), position < 0 ? segment.size() : position);
    }

    /**
     * Sets the high watermark (clamped to [log start, end offset]). Replication will call this;
     * today appends advance it themselves.
     */
    public void updateHighWatermark(long offset) {
        lock.lock();
        try {
            long clamped = Math.max(logStartOffset, Math.min(offset, endOffset.offset()));
            highWatermark = clamped == endOffset.offset() ? endOffset
                : metadataFor(clamped, BatchHeaderReader.forThread());
        } catch (IOException e) {
            throw new StorageException(topicPartition + ": locating high watermark " + offset + " failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ timestamps

    /**
     * The earliest offset whose timestamp is {@code >= timestampMs} (ListOffsets by time), among
     * records below the high watermark; empty if there is none. The broker maps Kafka's special
     * values itself: LATEST (-1) = {@link #highWatermark()}, EARLIEST (-2) = {@link #logStartOffset()}.
     * Lock-free.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        LogOffsetMetadata hw = highWatermark;
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        try {
            for (LogSegment segment : segments.headMap(hw.segmentBaseOffset(), true).values()) {
                if (segment.maxTimestamp() < timestampMs) {
                    continue;
                }
                int maxPosition = segment.baseOffset() == hw.segmentBaseOffset() ? hw.position() : segment.size();
                int position = segment.findTimestampPosition(timestampMs, maxPosition, reader);
                if (position >= 0) {
                    return Optional.of(firstRecordAtOrAfter(segment, position, reader.batchSize(), timestampMs));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException(topicPartition + ": lookup of timestamp " + timestampMs + " failed: " + e, e);
        }
    }

    /**
     * Within the batch at {@code position} (whose maxTimestamp is {@code >= timestampMs}), the first
     * record with a timestamp {@code >= timestampMs}. Cold path: reads and decodes the one batch.
     */
    private TimestampOffset firstRecordAtOrAfter(LogSegment segment, int position, int batchSize, long timestampMs)
        throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(batchSize);
        segment.readFully(bytes, position);
        RecordBatch batch = new RecordBatch(bytes, 0);
        long start = logStartOffset;
        if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new TimestampOffset(batch.maxTimestamp(), Math.max(start, batch.baseOffset()));
        }
        try {
            for (Record record : batch.records()) {
                if (record.timestamp() >= timestampMs) {
                    return new TimestampOffset(record.timestamp(), Math.max(start, record.offset()));
                }
            }
        } catch (InvalidRecordBatchException e) {
            throw segment.corrupt(position, "records of the batch do not decode: " + e.getMessage());
        }
        // maxTimestamp promised a record at or after the target; a batch that lies is damaged.
        throw segment.corrupt(position, "no record with timestamp >= " + timestampMs + " although maxTimestamp="
            + batch.maxTimestamp());
    }

    // ------------------------------------------------------------------ flush

    /**
     * Forces everything appended so far to disk (fdatasync of each segment written since the last
     * flush, their sealed indexes, and the directory if segments were created) and advances the
     * recovery point to the end offset seen when the flush started. Returns the new recovery point.
     * Blocks on disk: call it on the flush thread ({@link FlushService}), never on a network thread.
     * Does not hold the append lock while forcing.
     *
     * @throws LogOfflineException if the log is offline or the force failed (the log is offline now;
     *                             the force is never retried)
     */
    public long flush() {
        flushLock.lock();
        try {
            checkWritable();
            flushRequested = false;
            LogOffsetMetadata target = endOffset;
            long rp = recoveryPoint;
            if (target.offset() <= rp && !dirNeedsSync.get()) {
                return rp;
            }
            // From the segment holding rp - 1: if rp sat exactly at a segment boundary, that segment was
            // sealed after the last flush and its trimmed indexes are not on disk yet.
            Long from = segments.floorKey(Math.max(0, rp - 1));
            ConcurrentNavigableMap<Long, LogSegment> range = from == null
                ? segments.headMap(target.segmentBaseOffset(), true)
                : segments.subMap(from, true, target.segmentBaseOffset(), true);
            for (LogSegment segment : range.values()) {
                segment.flush();
            }
            if (dirNeedsSync.getAndSet(false)) {
                FileUtil.syncDir(env.channels(), dir);
            }
            if (target.offset() > recoveryPoint) {
                recoveryPoint = target.offset();
            }
            lastFlushMs = env.clock().millis();
            flushCount.incrementAndGet();
            return recoveryPoint;
        } catch (IOException e) {
            throw failed("flush", e);
        } finally {
            flushLock.unlock();
        }
    }


    // ------------------------------------------------------------------ truncation

    /**
     * Removes every batch holding an offset {@code >= offset}; the new end offset is at most
     * {@code offset} (less if a batch straddled it). For replication (a follower truncating to the
     * leader's epoch boundary); readers racing with a truncation may see a short slice.
     */
    public void truncateTo(long offset) {
        lock.lock();
        flushLock.lock();
        try {
            checkWritable();
            if (offset >= endOffset.offset()) {
                return;
            }
            if (offset < logStartOffset) {
                throw new IllegalArgumentException(topicPartition + ": cannot truncate to " + offset
                    + " below log start offset " + logStartOffset);
            }
            List<LogSegment> removed = new ArrayList<>(segments.tailMap(offset, false).values());
            Map.Entry<Long, LogSegment> floor = segments.floorEntry(offset);
            if (floor != null && floor.getKey() == offset && segments.size() > removed.size() + 1) {
                removed.add(0, floor.getValue());
            }
            for (LogSegment s : removed) {
                segments.remove(s.baseOffset(), s);
                s.renameForDeletion();
            }
            scheduleDeletion(removed);
            LogSegment last = segments.lastEntry().getValue();
            last.truncateTo(offset);
            last.resizeIndexes(config.segmentIndexBytes());
            long newEnd = last.readNextOffset();
            LogOffsetMetadata end = new LogOffsetMetadata(newEnd, last.baseOffset(), last.size());
            endOffset = end;
            // After the log is cut: a crash in between leaves entries beyond the end, which the next open drops.
            LeaderEpochs epochs = leaderEpochs.truncatedTo(newEnd);
            if (epochs != leaderEpochs) {
                leaderEpochs = epochs;
                try {
                    writeEpochs(epochs);
                } catch (StorageFullException e) {
                    // The file keeps entries beyond the end that later appends would fall under: not a state to go on in.
                    throw failed("truncate", (IOException) e.getCause());
                }
            }
            if (highWatermark.offset() >= newEnd) {
                highWatermark = end;
            }
            if (recoveryPoint > newEnd) {
                recoveryPoint = newEnd;
            }
            LOG.info("{}: truncated to offset {} (end offset now {}, {} segments removed)", topicPartition, offset,
                newEnd, removed.size());
        } catch (IOException e) {
            throw failed("truncate", e);
        } finally {
            flushLock.unlock();
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ segments (retention, cleaner)

    /** Snapshot of the segments, oldest first. */
    List<LogSegment> segmentsSnapshot() {
        return new ArrayList<>(segments.values());
    }

    /** The segment whose base offset is the floor of {@code offset} (the first segment if none). */
    LogSegment segmentFor(long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        return e == null ? segments.firstEntry().getValue() : e.getValue();
    }

    LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    LogEnvironment environment() {
        return env;
    }

    ReentrantLock lock() {
        return lock;
    }

    /**
     * Retention: removes the oldest {@code count} segments if they are still the oldest ones and
     * none holds data at or above the high watermark. Rolls first if that would remove the active
     * segment. Advances the log start offset; files are renamed to {@code .deleted} at once and
     * removed after {@code file.delete.delay.ms}. Returns the number removed.
     */
    int deleteOldestSegments(List<LogSegment> candidates, String reason) {
        if (candidates.isEmpty()) {
            return 0;
        }
        lock.lock();
        flushLock.lock(); // as in replaceSegments: a running flush may hold these segments
        try {
            checkWritable();
            List<LogSegment> current = new ArrayList<>(segments.values());
            int n = 0;
            while (n < candidates.size() && n < current.size() && current.get(n) == candidates.get(n)) {
                n++;
            }
            if (n == current.size()) {
                if (activeSegment().size() == 0 || highWatermark.offset() < endOffset.offset()) {
                    n--;
                } else {
                    rollLocked(config);
                }
            }
            List<LogSegment> removed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LogSegment s = current.get(i);
                Long next = segments.higherKey(s.baseOffset());
                if (next == null || next > highWatermark.offset()) {
                    break;
                }
                segments.remove(s.baseOffset(), s);
                s.renameForDeletion();
                removed.add(s);
                if (next > logStartOffset) {
                    logStartOffset = next;
                }
            }
            if (!removed.isEmpty()) {
                LOG.info("{}: deleted {} segment(s) by {}; log start offset now {}", topicPartition, removed.size(),
                    reason, logStartOffset);
                scheduleDeletion(removed);
            }
            return removed.size();
        } catch (IOException e) {
            throw failed("delete segments", e);
        } finally {
            flushLock.unlock();
            lock.unlock();
        }
    }

    /**
     * Cleaner: swaps {@code cleaned} (committed as {@code .swap} files named by the first old
     * segment's base offset, already forced, indexes built) in for {@code olds}, a run of adjacent
     * segments that must all still be in the log, sealed. Under the lock: the old files are renamed
     * to {@code .deleted} and that is made durable, then the swap files take the first segment's
     * live names (a restart that finds the {@code .swap} completes it, removing every segment its
     * offsets cover: {@link LogLoader}); readers still holding an old segment keep reading it until
     * the delete delay passes. Returns false (and changes nothing) if any old segment is no longer
     * in the log. With {@code cleaned == null} the old segments are removed without replacement
     * (everything in them was superseded).
     */
    boolean replaceSegments(List<LogSegment> olds, LogSegment cleaned) {
        if (olds.isEmpty()) {
            throw new IllegalArgumentException(topicPartition + ": no segments to replace");
        }
        long base = olds.get(0).baseOffset();
        lock.lock();
        // A flush that has picked these segments forces them (data, then index files by name) without
        // the lock: renaming and deleting them under it would make it fail and take the log offline.
        flushLock.lock();
        try {
            checkWritable();
            for (LogSegment old : olds) {
                if (segments.get(old.baseOffset()) != old || old == activeSegment()) {
                    return false;
                }
            }
            for (LogSegment old : olds) {
                old.renameForDeletion();
            }
            if (cleaned != null) {
                // The old names must be gone on disk before the merged segment takes the first one:
                // otherwise a crash could leave it beside a later old segment holding the same offsets.
                FileUtil.syncDir(env.channels(), dir);
                cleaned.renameTo(LogFileNames.logFile(dir, base), LogFileNames.indexFile(dir, base),
                    LogFileNames.timeIndexFile(dir, base));
                // Readers look segments up without the lock: the merged segment replaces the first old
                // one in place before the others leave the map, so every offset of the run stays
                // covered by a segment that holds it (removing first would let a read skip the run).
                segments.put(base, cleaned);
                for (LogSegment old : olds.subList(1, olds.size())) {
                    segments.remove(old.baseOffset(), old);
                }
            } else {
                for (LogSegment old : olds) {
                    segments.remove(old.baseOffset(), old);
                }
            }
            FileUtil.syncDir(env.channels(), dir);
            scheduleDeletion(olds);
            return true;
        } catch (IOException e) {
            throw failed("swap in cleaned segment " + base + " for " + olds.size() + " segment(s)", e);
        } finally {
            flushLock.unlock();
            lock.unlock();
        }
    }

    /**
     * Below this delete delay removed segments are not unmapped explicitly (the collector does it):
     * a lookup that picked the segment up just before its removal might still be reading it.
     */
    static final long MIN_DELAY_FOR_UNMAP_MS = 1_000;

    /** Closes and removes renamed segment files once readers had {@code file.delete.delay.ms} to finish. */
    void scheduleDeletion(List<LogSegment> removed) {
        if (removed.isEmpty()) {
            return;
        }
        List<LogSegment> toDelete = List.copyOf(removed);
        long delayMs = config.fileDeleteDelayMs();
        boolean unmap = delayMs >= MIN_DELAY_FOR_UNMAP_MS;
        env.runLater(() -> {
            for (LogSegment s : toDelete) {
                try {
                    s.deleteRenamedFiles(unmap);
                } catch (IOException e) {
                    LOG.warn("{}: could not delete {}: {}", topicPartition, s.logFile(), e.toString());
                }
            }
        }, delayMs);
    }

    /**
     * Raises the log start offset (e.g. DeleteRecords); segments wholly below it go on the next
     * retention pass. Never above the high watermark.
     */
    public void advanceLogStartOffset(long offset) {
        lock.lock();
        try {
            if (offset > highWatermark.offset()) {
                throw new IllegalArgumentException(topicPartition + ": log start offset " + offset
                    + " above high watermark " + highWatermark.offset());
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Closes the log: seals the active segment's indexes (trims them) and closes every file.
     * Does not flush the log files: the manager flushes first for a clean shutdown. Returns false if
     * a segment failed to close (its indexes may not be on disk: the shutdown is not clean).
     */
    boolean close() {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            closed = true;
            boolean ok = true;
            for (LogSegment s : segments.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    ok = false;
                    LOG.warn("{}: closing {} failed: {}", topicPartition, s.logFile(), e.toString());
                }
            }
            return ok;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the log deleted: no more appends; renames the directory to {@code <name>.<suffix>-delete}
     * and removes it after {@code file.delete.delay.ms}, so slices already handed out stay readable.
     */
    void delete(String deletedDirName) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Path target = dir.resolveSibling(deletedDirName);
            Files.move(dir, target);
            dir = target;
            List<LogSegment> all = new ArrayList<>(segments.values());
            Path doomed = target;
            boolean unmap = config.fileDeleteDelayMs() >= MIN_DELAY_FOR_UNMAP_MS;
            env.runLater(() -> {
                for (LogSegment s : all) {
                    try {
                        s.closeAndUnmap(unmap);
                    } catch (IOException e) {
                        LOG.warn("{}: closing {} failed: {}", topicPartition, s.logFile(), e.toString());
                    }
                }
                FileUtil.deleteRecursively(doomed);
            }, config.fileDeleteDelayMs());
        } catch (IOException e) {
            throw new StorageException(topicPartition + ": deleting log directory " + dir + " failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A killed process: closes the files without sealing, trimming or flushing anything, so what is
     * on disk stays exactly as the last write left it. No append, flush or roll happens afterwards.
     */
    void abandon() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (LogSegment s : segments.values()) {
                try {
                    s.closeChannel();
                } catch (IOException e) {
                    LOG.debug("{}: closing {} failed: {}", topicPartition, s.logFile(), e.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOnline() {
        Throwable cause = offlineCause;
        if (cause != null) {
            throw new LogOfflineException(topicPartition + ": log in " + dir + " is offline after " + cause, cause);
        }
    }

    private void checkWritable() {
        checkOnline();
        if (closed) {
            throw new LogOfflineException(topicPartition + ": log in " + dir + " is closed", null);
        }
    }

    /** Takes the log offline after an I/O failure; returns the exception to throw. */
    private LogOfflineException failed(String operation, IOException e) {
        if (closed) {
            return new LogOfflineException(topicPartition + ": " + operation + " failed: log in " + dir + " is closed", e);
        }
        markOffline(e);
        return new LogOfflineException(topicPartition + ": " + operation + " failed in " + dir
            + "; log is offline: " + e, e);
    }

    /** Takes the log offline (an I/O failure here or elsewhere in its directory). Idempotent. */
    void markOffline(Throwable cause) {
        if (offlineCause == null) {
            offlineCause = cause;
            LOG.error("{}: log in {} is offline: {}", topicPartition, dir, cause.toString());
            env.offlineHandler().logFailed(this, cause);
        }
    }

    @Override
    public String toString() {
        return "Log(" + topicPartition + ", start=" + logStartOffset + ", end=" + endOffset.offset()
            + ", segments=" + segments.size() + ")";
    }
}
