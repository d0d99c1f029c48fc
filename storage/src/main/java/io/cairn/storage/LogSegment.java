package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.NO_TIMESTAMP;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * One segment of a partition log: the {@code .log} file of whole batches starting at
 * {@link #baseOffset()}, with its {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>Threading: the log's writer (holding the log's lock) appends, truncates, seals and renames;
 * readers scan and slice lock-free up to a published byte limit: {@link #size()} is a volatile
 * written only after the bytes are in the file. Bytes below the published size never change
 * (truncation, which does change them, is a writer operation that readers may race with, as in
 * Kafka). The flush thread calls {@link #flush()} concurrently with appends.
 */
final class LogSegment {
    private final TopicPartition topicPartition;
    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final long createdMs;
    private volatile Path logFile;
    private volatile int size;
    private volatile long maxTimestamp = NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp;
    private volatile boolean dataDirty;
    private volatile boolean sealed;
    /** Headers checked on the read path ({@link #checkSlice}); reset by truncation. */
    private volatile CheckedHeaders checkedHeaders;
    private int bytesSinceLastIndexEntry;

    private LogSegment(TopicPartition topicPartition, long baseOffset, Path logFile, FileChannel channel,
                       OffsetIndex offsetIndex, TimeIndex timeIndex, long createdMs) throws IOException {
        this.topicPartition = topicPartition;
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.createdMs = createdMs;
        this.offsetOfMaxTimestamp = baseOffset;
        this.checkedHeaders = CheckedHeaders.none(baseOffset);
        long bytes = channel.size();
        if (bytes > Integer.MAX_VALUE) {
            throw new StorageException(topicPartition + ": segment " + logFile + " is " + bytes
                + " bytes, above the limit of " + Integer.MAX_VALUE);
        }
        this.size = (int) bytes;
        restoreTimestampFromIndex();
        resetBytesSinceLastIndexEntry();
    }

    /**
     * Creates a new, empty segment (and preallocated indexes) at {@code baseOffset}. An empty
     * {@code .log} left behind at that name (by a truncation) is replaced; a non-empty one is an error.
     */
    static LogSegment create(TopicPartition tp, Path dir, long baseOffset, LogConfig config,
                             FileChannelFactory channels, long nowMs) throws IOException {
        Path log = LogFileNames.logFile(dir, baseOffset);
        if (Files.exists(log)) {
            if (Files.size(log) != 0) {
                throw new StorageException(tp + ": cannot create segment " + log + ": a non-empty file exists");
            }
            channels.deleteIfExists(log);
        }
        channels.deleteIfExists(LogFileNames.indexFile(dir, baseOffset));
        channels.deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
        FileChannel ch = channels.open(log, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE));
        return assemble(tp, baseOffset, log, ch, LogFileNames.indexFile(dir, baseOffset),
            LogFileNames.timeIndexFile(dir, baseOffset), config.segmentIndexBytes(), channels, nowMs);
    }

    /**
     * Opens an existing segment; its indexes are mapped at their current size (call
     * {@link #resizeIndexes} to make room for appends). Index contents are not trusted yet.
     */
    static LogSegment open(TopicPartition tp, Path dir, long baseOffset, FileChannelFactory channels, long nowMs)
        throws IOException {
        return openFiles(tp, baseOffset, LogFileNames.logFile(dir, baseOffset), LogFileNames.indexFile(dir, baseOffset),
            LogFileNames.timeIndexFile(dir, baseOffset), channels, nowMs);
    }

    /**
     * Opens (creating if absent) a segment under explicit file names: the cleaner writes its output
     * as {@code .cleaned} files and renames them into place with {@link #renameTo}.
     */
    static LogSegment openFiles(TopicPartition tp, long baseOffset, Path log, Path index, Path timeIndex,
                                FileChannelFactory channels, long nowMs) throws IOException {
        FileChannel ch = channels.open(log, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE));
        return assemble(tp, baseOffset, log, ch, index, timeIndex, 0, channels, nowMs);
    }

    /** Opens the indexes beside an open log channel; closes the channel if that fails. */
    private static LogSegment assemble(TopicPartition tp, long baseOffset, Path log, FileChannel ch, Path index,
                                       Path timeIndex, int indexBytes, FileChannelFactory channels, long nowMs)
        throws IOException {
        try {
            OffsetIndex offsetIndex = new OffsetIndex(index, baseOffset, indexBytes, channels);
            TimeIndex timeIdx = new TimeIndex(timeIndex, baseOffset, indexBytes, channels);
            return new LogSegment(tp, baseOffset, log, ch, offsetIndex, timeIdx, nowMs);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    FileChannel channel() {
        return channel;
    }

    /** The file operations seam this segment's files were opened through. */
    private FileChannelFactory channels() {
        return offsetIndex.channels;
    }

    Path logFile() {
        return logFile;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    /** Bytes of whole batches readers may see. */
    int size() {
        return size;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Largest batch maxTimestamp in the segment, or -1 if none carries one. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Last offset of the batch that carried {@link #maxTimestamp()}. */
    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    /** Wall-clock time this segment was created or opened (for {@code segment.ms}). */
    long createdMs() {
        return createdMs;
    }

    /** Largest timestamp for retention: the batch timestamps, or the file's mtime if none has one. */
    long largestTimestampForRetention() throws IOException {
        long ts = maxTimestamp;
        return ts >= 0 ? ts : Files.getLastModifiedTime(logFile).toMillis();
    }

    boolean isSealed() {
        return sealed;
    }

    CorruptLogException corrupt(long position, String reason) {
        return new CorruptLogException(topicPartition, logFile, position, reason);
    }

    // ---------------------------------------------------------------- append (writer)

    /**
     * Writer only. Appends whole batches whose offsets are assigned; one positional write of the
     * whole buffer, then index entries per batch, then the new size is published. Returns the
     * position the first batch was written at. The buffer's position and limit are unchanged.
     */
    int append(ByteBuffer batches, int indexIntervalBytes) throws IOException {
        int start = size;
        ByteBuffer src = batches.duplicate();
        long filePos = start;
        try {
            while (src.hasRemaining()) {
                filePos += channel.write(src, filePos);
            }
        } catch (IOException e) {
            throw cutBackAfterFailedWrite(start, e);
        }
        dataDirty = true;
        int pos = batches.position();
        int position = start;
        while (pos < batches.limit()) {
            int batchSize = BatchHeaders.batchSize(batches, pos);
            onBatch(BatchHeaders.baseOffset(batches, pos), BatchHeaders.lastOffset(batches, pos),
                BatchHeaders.maxTimestamp(batches, pos), position, batchSize, indexIntervalBytes);
            pos += batchSize;
            position += batchSize;
        }
        size = position;
        return start;
    }

    /**
     * A write that failed for lack of space may have left part of the buffer in the file: cut the
     * file back to {@code start} (the end of the last whole batch) so no partial batch stays behind,
     * and report {@link StorageFullException}; the segment is then as before the append. Any other
     * failure, or a failing cut, is returned as is (the caller takes the log offline).
     */
    private IOException cutBackAfterFailedWrite(int start, IOException e) {
        if (!StorageFullException.isNoSpace(e)) {
            return e;
        }
        try {
            if (channel.size() > start) {
                channel.truncate(start);
            }
        } catch (IOException t) {
            e.addSuppressed(t);
            return e;
        }
        throw new StorageFullException(topicPartition + ": append of batches at position=" + start + " in "
            + logFile + " failed: " + e.getMessage() + "; cut back to the last whole batch, nothing"
            + " appended", e);
    }

    /** Index bookkeeping for one batch at {@code position}: shared by append, recovery and rebuild. */
    private void onBatch(long batchBaseOffset, long batchLastOffset, long batchMaxTimestamp, int position,
                         int batchSize, int indexIntervalBytes) {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchLastOffset;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            // A full offset index only costs longer scans; the log rolls before the next append.
            if (!offsetIndex.isFull() && batchBaseOffset > baseOffset) {
                offsetIndex.append(batchBaseOffset, position);
            }
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** True if neither index has room for another regular entry. */
    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    // ---------------------------------------------------------------- reads (any thread)

    /**
     * Position of the first batch (starting at or after the index floor for {@code targetOffset})
     * whose last offset is {@code >= targetOffset} and which ends at or before {@code maxPosition};
     * -1 if there is none.
     */
    int findBatchPosition(long targetOffset, int maxPosition, BatchHeaderReader reader) throws IOException {
        int slot = offsetIndex.floorSlot(targetOffset);
        int pos = slot < 0 ? 0 : offsetIndex.positionAt(slot);
        long expected = slot < 0 ? baseOffset : offsetIndex.offsetAt(slot);
        while (pos < maxPosition) {
            reader.read(this, pos, maxPosition);
            checkBaseOffset(pos, reader.baseOffset(), expected);
            if (reader.lastOffset() >= targetOffset) {
                return pos;
            }
            expected = reader.lastOffset() + 1;
            pos += reader.batchSize();
        }
        return -1;
    }

    /**
     * The batches of a segment cover its offsets without gaps, and an index entry names the base
     * offset of the batch at its position; {@code baseOffset} is outside the CRC, so this is what
     * catches a damaged one on the read path.
     */
    private void checkBaseOffset(int position, long actual, long expected) {
        if (actual != expected) {
            throw corrupt(position, "baseOffset=" + actual + " expected=" + expected
                + " (the previous batch's last offset + 1, or the index entry / segment base offset)");
        }
    }

    /**
     * {@code partitionLeaderEpoch} is outside the CRC: a batch whose epoch is not the one its offset
     * range began with is damaged (cold path of {@link #checkSlice}: only reached on a mismatch).
     */
    private void checkEpoch(int position, BatchHeaderReader reader, LeaderEpochs epochs) {
        if (!LeaderEpochs.exempt(reader.partitionLeaderEpoch(), reader.recordCount())) {
            throw corrupt(position, epochs.mismatch(reader.partitionLeaderEpoch(), reader.baseOffset()));
        }
    }

    /**
     * What the read path has checked: the prefix {@code [0, position)} of the file with the offset
     * expected next, and one more run {@code [runStart, runEnd)} (empty if equal) with the offset
     * expected after it, where a reader that started beyond the prefix (a consumer starting
     * mid-segment, e.g. after a restart) goes on reading. All four are batch boundaries.
     */
    private record CheckedHeaders(int position, long nextOffset, int runStart, int runEnd, long runNextOffset) {
        static CheckedHeaders none(long baseOffset) {
            return new CheckedHeaders(0, baseOffset, 0, 0, baseOffset);
        }

        boolean hasRun() {
            return runEnd > runStart;
        }

        boolean covers(int start, int end) {
            return end <= position || hasRun() && start >= runStart && end <= runEnd;
        }

        /** The prefix grown to {@code end}; a run it reaches joins it. */
        CheckedHeaders withPrefix(int end, long next, long baseOffset) {
            if (end <= position) {
                return this;
            }
            if (hasRun() && end >= runStart) {
                return runEnd > end ? new CheckedHeaders(runEnd, runNextOffset, 0, 0, baseOffset)
                    : new CheckedHeaders(end, next, 0, 0, baseOffset);
            }
            return new CheckedHeaders(end, next, runStart, runEnd, runNextOffset);
        }

        /** What stays valid after the file is cut at {@code at}. */
        CheckedHeaders truncatedTo(int at, long baseOffset) {
            boolean keepPrefix = position <= at;
            boolean keepRun = runEnd <= at;
            return new CheckedHeaders(keepPrefix ? position : 0, keepPrefix ? nextOffset : baseOffset,
                keepRun ? runStart : 0, keepRun ? runEnd : 0, keepRun ? runNextOffset : baseOffset);
        }
    }

    /**
     * Checks the header of every batch in the slice {@code [start, end)} (whose first batch has base
     * offset {@code startOffset}, found by a checked walk) before it is handed out: length inside the
     * slice, magic, {@code lastOffsetDelta}, offset continuity, the leader epoch (the one
     * {@code epochs} gives the batch's base offset), and that {@code end} is a batch boundary. The
     * fields outside the CRC (base offset, length, leader epoch, magic) are caught here; the rest is
     * the consumer's CRC check. Headers are read with {@code pread} ({@link BatchHeaderReader}), and a
     * segment remembers the prefix already checked and one run beyond it, so a sequential reader
     * checks each header once per process, also one that started mid-segment; a slice elsewhere is
     * checked on its own. Any thread.
     */
    void checkSlice(int start, long startOffset, int end, BatchHeaderReader reader, LeaderEpochs epochs)
        throws IOException {
        CheckedHeaders c = checkedHeaders;
        if (c.covers(start, end)) {
            return;
        }
        boolean extendPrefix = start <= c.position();
        boolean extendRun = !extendPrefix && c.hasRun() && start >= c.runStart() && start <= c.runEnd();
        int runStart = extendRun ? c.runStart() : start;
        int pos = extendPrefix ? c.position() : extendRun ? c.runEnd() : start;
        long expected = extendPrefix ? c.nextOffset() : extendRun ? c.runNextOffset() : startOffset;
        int slot = epochs.slotFor(expected);
        long slotEnd = epochs.endOf(slot);
        long expectedEpoch = epochs.expectedEpoch(slot);
        while (pos < end) {
            reader.read(this, pos, end);
            checkBaseOffset(pos, reader.baseOffset(), expected);
            if (expected >= slotEnd) {
                slot = epochs.slotFor(expected);
                slotEnd = epochs.endOf(slot);
                expectedEpoch = epochs.expectedEpoch(slot);
            }
            if (reader.partitionLeaderEpoch() != expectedEpoch) {
                checkEpoch(pos, reader, epochs);
            }
            expected = reader.lastOffset() + 1;
            pos += reader.batchSize();
        }
        synchronized (this) {
            CheckedHeaders now = checkedHeaders;
            if (extendPrefix) {
                checkedHeaders = now.withPrefix(pos, expected, baseOffset);
            } else if (pos > now.position()) {
                // one run is remembered: the latest reader's (readers elsewhere check their own slices)
                checkedHeaders = runStart <= now.position() ? now.withPrefix(pos, expected, baseOffset)
                    : new CheckedHeaders(now.position(), now.nextOffset(), runStart, pos, expected);
            }
        }
    }

    /**
     * Records in the batches {@code [start, end)} if {@code reader}'s window holds all their
     * headers (a slice of small batches just scanned: counting costs no system call); -1 if it
     * does not (then the caller reads the headers itself, only if it wants the count).
     */
    long countRecordsInWindow(int start, int end, BatchHeaderReader reader) throws IOException {
        long records = 0;
        for (int pos = start; pos < end; pos += reader.batchSize()) {
            if (!reader.holds(channel, pos)) {
                return -1;
            }
            reader.read(this, pos, end);
            records += reader.recordCount();
        }
        return records;
    }

    /**
     * End position of a slice starting at batch boundary {@code start}: the last batch boundary at
     * most {@code maxBytes} after {@code start}, but at least the end of the first batch, and never
     * past {@code maxPosition} (itself a batch boundary).
     */
    int sliceEnd(int start, int maxBytes, int maxPosition, BatchHeaderReader reader) throws IOException {
        if ((long) maxPosition - start <= maxBytes) {
            return maxPosition;
        }
        long target = (long) start + Math.max(0, maxBytes);
        int boundary = Math.max(start, offsetIndex.floorPositionByPosition((int) target));
        while (true) {
            reader.read(this, boundary, maxPosition);
            long next = (long) boundary + reader.batchSize();
            if (next > target) {
                return boundary == start ? (int) next : boundary;
            }
            boundary = (int) next;
        }
    }

    /**
     * Position of the first batch whose maxTimestamp is {@code >= targetTimestamp}, below
     * {@code maxPosition}; -1 if none. The reader is left on that batch's header.
     */
    int findTimestampPosition(long targetTimestamp, int maxPosition, BatchHeaderReader reader) throws IOException {
        long startOffset = timeIndex.scanStartOffset(targetTimestamp);
        int pos = offsetIndex.floorPosition(startOffset);
        while (pos < maxPosition) {
            reader.read(this, pos, maxPosition);
            if (reader.maxTimestamp() >= targetTimestamp) {
                return pos;
            }
            pos += reader.batchSize();
        }
        return -1;
    }

    /** Offset after the last batch: scans from the last index entry. The base offset if empty. */
    long readNextOffset() throws IOException {
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        int limit = size;
        int pos = offsetIndex.lastPosition();
        long next = offsetIndex.lastOffset();
        while (pos < limit) {
            reader.read(this, pos, limit);
            checkBaseOffset(pos, reader.baseOffset(), next);
            next = reader.lastOffset() + 1;
            pos += reader.batchSize();
        }
        return next;
    }

    /** Reads {@code dst.remaining()} bytes at {@code position} (cold paths: cleaner, tests). */
    void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw corrupt(pos, "unexpected end of file at size " + channel.size());
            }
            pos += n;
        }
    }

    // ---------------------------------------------------------------- recovery and truncation (writer)

    /**
     * Writer/loader only. Validates every batch from the start (length, magic, offsets, CRC32C, and
     * the leader epoch against {@code epochs} unless null), rebuilding both indexes from scratch for
     * the valid prefix. Does not truncate: the caller decides what an invalid batch means.
     */
    SegmentScanner.Result recover(int indexIntervalBytes, int maxIndexBytes, LeaderEpochs epochs) throws IOException {
        resetIndexes(maxIndexBytes);
        SegmentScanner.Result result = SegmentScanner.scan(this, epochs, (base, last, maxTs, position, batchSize) ->
            onBatch(base, last, maxTs, position, batchSize, indexIntervalBytes));
        return result;
    }

    /** Writer/loader only: rebuilds both indexes from batch headers (no CRC check), e.g. after a failed sanity check. */
    void rebuildIndexes(int indexIntervalBytes, int maxIndexBytes) throws IOException {
        resetIndexes(maxIndexBytes);
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        int limit = size;
        int pos = 0;
        long expected = baseOffset;
        while (pos < limit) {
            reader.read(this, pos, limit);
            // A damaged base offset must not reach the indexes (it would not even fit a relative offset).
            checkBaseOffset(pos, reader.baseOffset(), expected);
            if (reader.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                throw corrupt(pos, "lastOffset=" + reader.lastOffset() + " beyond the segment's u32 offset range (base "
                    + baseOffset + ")");
            }
            onBatch(reader.baseOffset(), reader.lastOffset(), reader.maxTimestamp(), pos, reader.batchSize(),
                indexIntervalBytes);
            expected = reader.lastOffset() + 1;
            pos += reader.batchSize();
        }
    }

    private void resetIndexes(int maxIndexBytes) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        maxTimestamp = NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceLastIndexEntry = 0;
        sealed = false;
    }

    /**
     * Reason not to trust this segment's indexes, or null. Besides the structural checks of both
     * files it reads the batch headers after their last entries ({@link #indexTailCheck}): an index
     * cut short (deleted, emptied or truncated to fewer whole entries) looks valid on its own.
     */
    String indexSanityCheck(int indexIntervalBytes) {
        String reason = offsetIndex.sanityCheck(size);
        if (reason != null) {
            return offsetIndex.file() + ": " + reason;
        }
        reason = timeIndex.sanityCheck(size);
        if (reason != null) {
            return timeIndex.file() + ": " + reason;
        }
        return indexTailCheck(indexIntervalBytes);
    }

    /**
     * Reads the headers after the indexes' last entries and checks what they imply: no more than
     * {@code index.interval.bytes} (plus one batch) after the last offset-index entry without an
     * entry; the last time-index entry ends a batch and holds the segment's largest timestamp (it
     * is written when the segment is sealed or closed). Cost: the headers from the batch of the
     * segment's largest timestamp to the end, usually the last few. A damaged header is not
     * reported here: reads report it with its position.
     */
    private String indexTailCheck(int indexIntervalBytes) {
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        int limit = size;
        try {
            int pos = offsetIndex.lastPosition();
            long sinceEntry = 0;
            while (pos < limit) {
                if (sinceEntry > indexIntervalBytes) {
                    return offsetIndex.file() + ": no entry for the batch at position=" + pos + ", " + sinceEntry
                        + " bytes after the last entry (index.interval.bytes=" + indexIntervalBytes + ")";
                }
                reader.read(this, pos, limit);
                sinceEntry += reader.batchSize();
                pos += reader.batchSize();
            }
            long lastTimestamp = timeIndex.lastTimestamp();
            long lastOffset = timeIndex.lastOffset();
            boolean entryEndsBatch = timeIndex.entries() == 0;
            pos = offsetIndex.floorPosition(lastOffset);
            while (pos < limit) {
                reader.read(this, pos, limit);
                if (reader.maxTimestamp() > lastTimestamp) {
                    return timeIndex.file() + ": batch at position=" + pos + " has maxTimestamp=" + reader.maxTimestamp()
                        + " above the last entry's " + lastTimestamp;
                }
                entryEndsBatch |= reader.lastOffset() == lastOffset;
                pos += reader.batchSize();
            }
            return entryEndsBatch ? null : timeIndex.file() + ": last entry offset " + lastOffset + " ends no batch";
        } catch (CorruptLogException e) {
            return null;
        } catch (IOException e) {
            return "reading headers after the last index entries failed: " + e;
        }
    }

    /** Writer only: removes batches containing offsets {@code >= offset}; returns the bytes removed. */
    int truncateTo(long offset) throws IOException {
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        int pos = findBatchPosition(offset, size, reader);
        return pos < 0 ? 0 : truncateToPosition(pos, reader.baseOffset());
    }

    /**
     * Writer only: cuts the file at batch boundary {@code position}, where the removed data starts
     * at offset {@code firstRemovedOffset} (or later); returns the bytes removed.
     */
    int truncateToPosition(int position, long firstRemovedOffset) throws IOException {
        int old = size;
        if (position >= old && channel.size() <= position) {
            return 0;
        }
        size = Math.min(position, old);
        synchronized (this) {
            checkedHeaders = checkedHeaders.truncatedTo(position, baseOffset);
        }
        channel.truncate(position);
        dataDirty = true;
        offsetIndex.truncateToPosition(position);
        timeIndex.truncateToOffset(firstRemovedOffset);
        restoreTimestampFromIndex();
        // Batches after the last time-index entry may carry a larger timestamp than it.
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        int pos = offsetIndex.floorPosition(offsetOfMaxTimestamp);
        while (pos < size) {
            reader.read(this, pos, size);
            if (reader.maxTimestamp() > maxTimestamp) {
                maxTimestamp = reader.maxTimestamp();
                offsetOfMaxTimestamp = reader.lastOffset();
            }
            pos += reader.batchSize();
        }
        resetBytesSinceLastIndexEntry();
        return old - size;
    }

    private void restoreTimestampFromIndex() {
        maxTimestamp = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.entries() == 0 ? baseOffset : timeIndex.lastOffset();
    }

    private void resetBytesSinceLastIndexEntry() {
        bytesSinceLastIndexEntry = size - offsetIndex.lastPosition();
    }

    // ---------------------------------------------------------------- lifecycle (writer)

    /** Writer only: makes room for appends in both indexes (the active segment). */
    void resizeIndexes(int maxIndexBytes) throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        sealed = false;
    }

    /**
     * Writer only: this segment takes no more appends. Writes the final time-index entry (the
     * segment's largest timestamp, into the reserved slot) and trims both index files.
     */
    void seal() throws IOException {
        if (sealed) {
            return;
        }
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        // The trim changed the files' sizes: the next flush must force them even without new entries.
        offsetIndex.markDirty();
        timeIndex.markDirty();
        sealed = true;
    }

    /** Forces the log file (fdatasync) if written since the last flush, and sealed indexes. */
    void flush() throws IOException {
        if (dataDirty) {
            dataDirty = false;
            channel.force(false);
        }
        if (sealed) {
            offsetIndex.flush();
            timeIndex.flush();
        }
    }

    /**
     * Seals (trims the indexes), forces the indexes and closes the file. The forces matter for a
     * clean shutdown: the next start trusts the indexes of a cleanly closed log without a scan.
     */
    void close() throws IOException {
        try {
            if (channel.isOpen()) {
                seal();
                offsetIndex.flush();
                timeIndex.flush();
            }
        } finally {
            channel.close();
        }
    }

    /** Releases the index mappings of a removed segment (after the delete delay: no lookup can still use them). */
    private void unmapAll() {
        offsetIndex.unmap();
        timeIndex.unmap();
    }

    /** Closes the file and releases the mappings of a deleted log (after the delete delay). */
    void closeAndUnmap(boolean unmap) throws IOException {
        closeChannel();
        if (unmap) {
            unmapAll();
        }
    }

    /** Closes the file without touching the indexes (after the files were renamed for deletion). */
    void closeChannel() throws IOException {
        channel.close();
    }

    /**
     * Writer only: renames the segment's files with {@code .deleted} appended, the crash-safe first
     * step of deletion (a restart removes {@code .deleted} files). The channel stays open for readers.
     */
    void renameForDeletion() throws IOException {
        renameIfExists(offsetIndex, LogFileNames.withSuffix(offsetIndex.file(), LogFileNames.DELETED_SUFFIX));
        renameIfExists(timeIndex, LogFileNames.withSuffix(timeIndex.file(), LogFileNames.DELETED_SUFFIX));
        Path deleted = LogFileNames.withSuffix(logFile, LogFileNames.DELETED_SUFFIX);
        channels().move(logFile, deleted, StandardCopyOption.ATOMIC_MOVE);
        logFile = deleted;
    }

    private static void renameIfExists(AbstractIndex index, Path to) throws IOException {
        try {
            index.renameTo(to);
        } catch (NoSuchFileException e) {
            // Index files are derived; one missing is rebuilt, not an error.
        }
    }

    /** Writer only: renames the three files (indexes first, the log last); open channels and mappings stay valid. */
    void renameTo(Path log, Path index, Path timeIndexFile) throws IOException {
        offsetIndex.renameTo(index);
        timeIndex.renameTo(timeIndexFile);
        channels().move(logFile, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        logFile = log;
    }

    /**
     * Closes the file and removes the {@code .deleted} files (the second step of deletion); with
     * {@code unmap}, also releases the mappings now rather than at the next garbage collection.
     */
    void deleteRenamedFiles(boolean unmap) throws IOException {
        closeChannel();
        if (unmap) {
            unmapAll();
        }
        deleteUnlessLive(logFile);
        deleteUnlessLive(offsetIndex.file());
        deleteUnlessLive(timeIndex.file());
    }

    /** Deletes a file in transit; a live name may by now belong to a new segment of the same base offset. */
    private void deleteUnlessLive(Path file) throws IOException {
        String name = file.getFileName().toString();
        boolean live = name.length() > LogFileNames.OFFSET_DIGITS
            && (name.endsWith(LogFileNames.LOG_SUFFIX) || name.endsWith(LogFileNames.INDEX_SUFFIX)
            || name.endsWith(LogFileNames.TIME_INDEX_SUFFIX));
        if (!live) {
            channels().deleteIfExists(file);
        }
    }

    /** Closes and removes the files under their current names (abandoned cleaner output). */
    void deleteFiles() throws IOException {
        deleteRenamedFiles(true);
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ", sealed=" + sealed + ")";
    }
}
