package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.MAGIC_V2;

import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.protocol.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction for logs with {@code cleanup.policy} {@code compact} (or {@code compact,delete}):
 * keeps the newest record per key, preserving offsets.
 *
 * <p>One pass over a log:
 * <ol>
 *   <li>The cleanable part is the sealed segments wholly below the first uncleanable offset: the
 *       active segment's base, the high watermark, and the first segment whose newest timestamp is
 *       younger than {@code min.compaction.lag.ms}. The dirty part starts at the log's cleaner
 *       checkpoint (the end of the previous pass).</li>
 *   <li>An {@link OffsetMap} of key → newest offset is built over the dirty part (as far as the
 *       dedupe buffer holds, in whole batches).</li>
 *   <li>The cleanable segments up to the map's end are taken in runs of adjacent segments (a run
 *       takes the next segment while its output so far plus that segment's size stays within
 *       {@code segment.bytes} and the indexes fit one segment's), and each run is rewritten as one
 *       segment named by its first base offset, so segments emptied
 *       by earlier passes merge with their neighbours instead of piling up. A record is kept if its
 *       key is null, or no newer offset for its key is in the map, and — if it is a tombstone (null
 *       value) — its timestamp is within {@code delete.retention.ms} of now. Batches keep their base
 *       offset, producer fields and last offset; a batch losing every record becomes part of a
 *       gap, written as one empty batch spanning the run of removed offsets, so a segment's batches
 *       still cover its offsets without holes (recovery checks that). A batch keeping every record
 *       is copied byte for byte. A run left with no records at all is removed (except the log's
 *       first segment, kept as one empty batch so the log start does not move).</li>
 *   <li>The rewrite goes to {@code <base>.log.cleaned} (+ indexes), is forced, renamed to
 *       {@code .swap} (the commit point: a restart completes the swap, removing every segment the
 *       swap's offsets cover) and swapped in under the log's lock ({@link Log#replaceSegments});
 *       readers holding an old segment keep reading it.</li>
 *   <li>The log's cleaner checkpoint moves to the map's end ({@code cleaner-offset-checkpoint}).</li>
 * </ol>
 * A log whose dirty bytes are below {@code min.cleanable.dirty.ratio} of its cleanable bytes is
 * left alone. A damaged batch met while cleaning makes the log uncleanable (reported, nothing
 * changed); an I/O error takes the log offline.
 *
 * <p>Threading: {@code threads} cleaner threads, each with its own offset map and buffers; a log is
 * cleaned by one thread at a time. Retention and appends proceed concurrently; the swap takes the
 * log's lock briefly.
 */
final class LogCleaner implements AutoCloseable {
    static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** What one pass over a log did. */
    record Result(long firstDirtyOffset, long endOffset, int segmentsRewritten, int segmentsMerged,
                  int segmentsRemoved, long bytesBefore, long bytesAfter, long recordsRemoved) {
    }

    private final Clock clock;
    private final FileChannelFactory channels;
    private final Supplier<Collection<Log>> logs;
    private final OffsetCheckpointFile checkpointFile;
    private final long backoffMs;
    private final long bufferBytesPerThread;
    private final Map<TopicPartition, Long> firstDirty = new ConcurrentHashMap<>();
    private final Map<TopicPartition, StorageException> uncleanable = new ConcurrentHashMap<>();
    private final Set<TopicPartition> inProgress = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private volatile boolean running = true;
    private Worker testWorker;

    LogCleaner(int threadCount, long backoffMs, long dedupeBufferBytes, Clock clock, FileChannelFactory channels,
               Path dataDir, Supplier<Collection<Log>> logs) {
        this.clock = clock;
        this.channels = channels;
        this.logs = logs;
        this.backoffMs = backoffMs;
        this.bufferBytesPerThread = dedupeBufferBytes / Math.max(1, threadCount);
        this.checkpointFile = new OffsetCheckpointFile(dataDir.resolve(CHECKPOINT_FILE), channels);
        firstDirty.putAll(checkpointFile.read());
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::run, "cairn-log-cleaner-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Partitions the cleaner gave up on, with the reason. */
    Map<TopicPartition, StorageException> uncleanable() {
        return Map.copyOf(uncleanable);
    }

    /** First offset not yet cleaned, per partition. */
    Map<TopicPartition, Long> checkpoints() {
        return Map.copyOf(firstDirty);
    }

    /** Forgets a deleted partition. */
    void forget(TopicPartition tp) {
        firstDirty.remove(tp);
        uncleanable.remove(tp);
        writeCheckpoint();
    }

    private void run() {
        Worker worker = new Worker(bufferBytesPerThread);
        while (running) {
            Log log = null;
            try {
                log = claimDirtiest(worker);
                if (log == null) {
                    pause();
                    continue;
                }
                worker.clean(log, false);
            } catch (StorageException e) {
                // Already logged with its partition, file and position; the log is uncleanable or offline now.
                pause();
            } catch (RuntimeException e) {
                LOG.error("cleaner pass failed", e);
                pause();
            } finally {
                if (log != null) {
                    inProgress.remove(log.topicPartition());
                }
            }
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (running) {
                stopped.await(backoffMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** The compacted log with the highest dirty ratio at or above its threshold, claimed for this thread. */
    private Log claimDirtiest(Worker worker) throws RuntimeException {
        Log best = null;
        double bestRatio = -1;
        long now = clock.millis();
        for (Log log : logs.get()) {
            TopicPartition tp = log.topicPartition();
            if (!log.config().cleanupPolicy().compacts() || log.isOffline() || log.isClosed()
                || uncleanable.containsKey(tp) || inProgress.contains(tp)) {
                continue;
            }
            try {
                Range range = worker.range(log, now);
                if (range != null && range.dirtyRatio() >= log.config().minCleanableDirtyRatio()
                    && range.dirtyRatio() > bestRatio) {
                    best = log;
                    bestRatio = range.dirtyRatio();
                }
            } catch (IOException e) {
                LOG.warn("{}: cannot size cleanable range: {}", tp, e.toString());
            }
        }
        if (best != null && !inProgress.add(best.topicPartition())) {
            return null;
        }
        return best;
    }

    /**
     * Cleans {@code log} once now, from the calling thread, whatever its dirty ratio (tests, tools).
     * Returns null if there was nothing cleanable.
     */
    Result cleanNow(Log log) {
        if (!inProgress.add(log.topicPartition())) {
            throw new IllegalStateException(log.topicPartition() + " is being cleaned");
        }
        try {
            synchronized (this) {
                if (testWorker == null) {
                    testWorker = new Worker(bufferBytesPerThread);
                }
                return testWorker.clean(log, true);
            }
        } finally {
            inProgress.remove(log.topicPartition());
        }
    }

    private void writeCheckpoint() {
        synchronized (checkpointFile) {
            try {
                checkpointFile.write(new HashMap<>(firstDirty));
            } catch (IOException e) {
                LOG.warn("writing {} failed: {}", checkpointFile.file(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Cleanable segments of a pass.
     *
     * @param segments   sealed segments wholly below the first uncleanable offset
     * @param firstDirty first offset not yet cleaned
     * @param end        offset after the last cleanable segment
     */
    private record Range(List<LogSegment> segments, List<Long> nextBases, long firstDirty, long end,
                         long dirtyBytes, long totalBytes) {
        double dirtyRatio() {
            return totalBytes == 0 ? 0 : (double) dirtyBytes / totalBytes;
        }
    }

    /** Buffers and map of one cleaner thread. */
    private final class Worker {
        private final OffsetMap map;
        private final RecordBatchBuilder builder = new RecordBatchBuilder();
        private ByteBuffer batchBuffer = ByteBuffer.allocate(64 * 1024);
        private final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);

        Worker(long mapBytes) {
            this.map = new OffsetMap(mapBytes);
        }

        Range range(Log log, long now) throws IOException {
            LogConfig config = log.config();
            List<LogSegment> all = log.segmentsSnapshot();
            long firstUncleanable = Math.min(all.get(all.size() - 1).baseOffset(), log.highWatermark());
            List<LogSegment> cleanable = new ArrayList<>();
            List<Long> nextBases = new ArrayList<>();
            long dirtyFrom = Math.max(log.logStartOffset(), firstDirty.getOrDefault(log.topicPartition(), 0L));
            if (dirtyFrom > log.logEndOffset()) {
                // The log was truncated below the checkpoint: what follows the truncation point is all dirty.
                dirtyFrom = log.logStartOffset();
            }
            long dirtyBytes = 0;
            long totalBytes = 0;
            for (int i = 0; i + 1 < all.size(); i++) {
                LogSegment s = all.get(i);
                long next = all.get(i + 1).baseOffset();
                if (next > firstUncleanable) {
                    break;
                }
                if (config.minCompactionLagMs() > 0
                    && now - s.largestTimestampForRetention() < config.minCompactionLagMs()) {
                    break;
                }
                cleanable.add(s);
                nextBases.add(next);
                totalBytes += s.size();
                if (next > dirtyFrom) {
                    dirtyBytes += s.size();
                }
            }
            if (cleanable.isEmpty()) {
                return null;
            }
            long end = nextBases.get(nextBases.size() - 1);
            if (dirtyFrom >= end) {
                return null;
            }
            return new Range(cleanable, nextBases, dirtyFrom, end, dirtyBytes, totalBytes);
        }

        Result clean(Log log, boolean force) {
            TopicPartition tp = log.topicPartition();
            LogConfig config = log.config();
            if (!config.cleanupPolicy().compacts()) {
                return null;
            }
            long now = clock.millis();
            try {
                Range range = range(log, now);
                if (range == null || (!force && range.dirtyRatio() < config.minCleanableDirtyRatio())) {
                    return null;
                }
                long mapEnd = buildMap(range);
                if (mapEnd <= range.firstDirty()) {
                    throw new StorageException(tp + ": dedupe buffer too small for one batch at offset "
                        + range.firstDirty() + " (" + map.freeEntries() + " keys fit)");
                }
                long before = 0;
                long after = 0;
                long removedRecords = 0;
                int rewritten = 0;
                int removed = 0;
                int merged = 0;
                int next = 0;
                while (next < range.segments().size() && range.segments().get(next).baseOffset() < mapEnd
                    && (running || force)) {
                    GroupOutcome outcome = cleanGroup(log, range, next, mapEnd, now, config);
                    next += outcome.segments().size();
                    before += outcome.bytesBefore();
                    if (!outcome.swapped()) {
                        after += outcome.bytesBefore();
                        continue;
                    }
                    after += outcome.bytesAfter();
                    removedRecords += outcome.recordsRemoved();
                    if (outcome.bytesAfter() == 0) {
                        removed += outcome.segments().size();
                    } else {
                        rewritten++;
                        merged += outcome.segments().size() - 1;
                    }
                }
                firstDirty.put(tp, mapEnd);
                writeCheckpoint();
                LOG.info("{}: cleaned offsets [{}, {}): {} -> {} bytes, {} records removed, {} segments rewritten"
                    + " ({} merged into a neighbour), {} removed",
                    tp, range.firstDirty(), mapEnd, before, after, removedRecords, rewritten, merged, removed);
                return new Result(range.firstDirty(), mapEnd, rewritten, merged, removed, before, after, removedRecords);
            } catch (CorruptLogException e) {
                uncleanable.put(tp, e);
                LOG.error("{}: not cleaning any more: {}", tp, e.getMessage());
                throw e;
            } catch (IOException e) {
                if (StorageFullException.isNoSpace(e)) {
                    // Only the cleaner's own output (.cleaned, removed again) ran out of space: the log is intact.
                    LOG.warn("{}: cleaning postponed, no space for the cleaned copy in {}: {}", tp, log.dir(),
                        e.getMessage());
                    throw new StorageFullException(tp + ": cleaning failed in " + log.dir() + ": " + e, e);
                }
                log.markOffline(e);
                throw new LogOfflineException(tp + ": cleaning failed in " + log.dir() + ": " + e, e);
            }
        }

        /** Fills the map from the dirty part; returns the offset it covers up to (exclusive, a batch boundary). */
        private long buildMap(Range range) throws IOException {
            map.clear();
            long covered = range.firstDirty();
            for (int i = 0; i < range.segments().size(); i++) {
                LogSegment s = range.segments().get(i);
                long next = range.nextBases().get(i);
                if (next <= range.firstDirty()) {
                    continue;
                }
                int pos = 0;
                int size = s.size();
                while (pos < size) {
                    RecordBatch batch = readBatch(s, pos);
                    if (batch.lastOffset() >= range.firstDirty()) {
                        if (batch.recordCount() > map.freeEntries()) {
                            return covered;
                        }
                        if (!batch.isControl()) {
                            try {
                                for (Record r : batch.records()) {
                                    if (r.hasKey() && r.offset() >= range.firstDirty()) {
                                        map.put(r.key(), r.offset());
                                    }
                                }
                            } catch (InvalidRecordBatchException e) {
                                throw s.corrupt(pos, "records do not decode: " + e.getMessage());
                            }
                        }
                        covered = batch.lastOffset() + 1;
                    }
                    pos += batch.sizeInBytes();
                }
                covered = Math.max(covered, next);
            }
            return covered;
        }

        /** Reads and checks the whole batch at {@code pos} into the worker's buffer. */
        private RecordBatch readBatch(LogSegment s, int pos) throws IOException {
            header.clear();
            s.readFully(header, pos);
            RecordBatch h = new RecordBatch(header, 0);
            int size = h.sizeInBytes();
            if (h.magic() != MAGIC_V2 || size < HEADER_SIZE || (long) pos + size > s.size()) {
                throw s.corrupt(pos, "batch header invalid: magic=" + h.magic() + " size=" + size + " segment size="
                    + s.size());
            }
            if (batchBuffer.capacity() < size) {
                batchBuffer = ByteBuffer.allocate(Math.max(size, batchBuffer.capacity() * 2));
            }
            batchBuffer.clear().limit(size);
            s.readFully(batchBuffer, pos);
            batchBuffer.flip();
            RecordBatch batch = new RecordBatch(batchBuffer, 0);
            if (!batch.isCrcValid()) {
                throw s.corrupt(pos, "crc=" + Long.toHexString(batch.computeCrc()) + " expected="
                    + Long.toHexString(batch.crc()) + " (baseOffset=" + batch.baseOffset() + ")");
            }
            return batch;
        }

        /**
         * What rewriting one run of segments did: the segments it took, their bytes before and
         * after, records removed; {@code swapped} false if a segment had left the log meanwhile
         * (nothing changed).
         */
        private record GroupOutcome(List<LogSegment> segments, long bytesBefore, long bytesAfter,
                                    long recordsRemoved, boolean swapped) {
        }

        /**
         * Rewrites the run of adjacent cleanable segments starting at {@code first} as one segment
         * named by the first one's base offset, and swaps it in. The run takes the next segment
         * while the output so far plus that segment's size before cleaning stays within
         * {@code segment.bytes}, the indexes within one segment's, and its offsets within an int of
         * the base (the indexes store offsets relative to it); so segments emptied by earlier passes
         * merge with their neighbours instead of piling up one file set per roll (Kafka groups by
         * the sizes before cleaning; the output's real size merges more in one pass).
         */
        private GroupOutcome cleanGroup(Log log, Range range, int first, long mapEnd, long now, LogConfig config)
            throws IOException {
            Path dir = log.dir();
            List<LogSegment> group = new ArrayList<>();
            long base = range.segments().get(first).baseOffset();
            Path cleanedLog = LogFileNames.withSuffix(LogFileNames.logFile(dir, base), LogFileNames.CLEANED_SUFFIX);
            Path cleanedIndex = LogFileNames.withSuffix(LogFileNames.indexFile(dir, base), LogFileNames.CLEANED_SUFFIX);
            Path cleanedTime = LogFileNames.withSuffix(LogFileNames.timeIndexFile(dir, base), LogFileNames.CLEANED_SUFFIX);
            channels.deleteIfExists(cleanedLog);
            channels.deleteIfExists(cleanedIndex);
            channels.deleteIfExists(cleanedTime);
            LogSegment out = LogSegment.openFiles(log.topicPartition(), base, cleanedLog, cleanedIndex, cleanedTime,
                channels, now);
            boolean swapped = false;
            try {
                out.resizeIndexes(config.segmentIndexBytes());
                long removed = 0;
                long bytesBefore = 0;
                boolean anyRecord = false;
                long gapStart = -1;
                long gapEnd = -1;
                int gapEpoch = 0;
                int maxOffsetEntries = config.segmentIndexBytes() / OffsetIndex.ENTRY_SIZE;
                int maxTimeEntries = config.segmentIndexBytes() / TimeIndex.ENTRY_SIZE;
                for (int i = first; i < range.segments().size(); i++) {
                    LogSegment s = range.segments().get(i);
                    if (s.baseOffset() >= mapEnd) {
                        break;
                    }
                    long pendingGapBytes = gapStart >= 0 ? HEADER_SIZE : 0;
                    if (!group.isEmpty() && ((long) out.size() + pendingGapBytes + s.size() > config.segmentBytes()
                        || out.offsetIndex().entries() + s.offsetIndex().entries() > maxOffsetEntries
                        || out.timeIndex().entries() + s.timeIndex().entries() > maxTimeEntries
                        || range.nextBases().get(i) - 1 - base > Integer.MAX_VALUE)) {
                        break;
                    }
                    group.add(s);
                    bytesBefore += s.size();
                    long segmentTimestamp = s.largestTimestampForRetention();
                    int pos = 0;
                    int size = s.size();
                    while (pos < size) {
                        RecordBatch batch = readBatch(s, pos);
                        int total = 0;
                        int kept = 0;
                        if (batch.isControl()) {
                            total = kept = 1;
                        } else {
                            try {
                                for (Record r : batch.records()) {
                                    total++;
                                    if (retain(r, batch, now, config, segmentTimestamp)) {
                                        kept++;
                                    }
                                }
                            } catch (InvalidRecordBatchException e) {
                                throw s.corrupt(pos, "records do not decode: " + e.getMessage());
                            }
                        }
                        removed += total - kept;
                        if (kept == 0) {
                            if (gapStart < 0) {
                                gapStart = batch.baseOffset();
                                gapEpoch = batch.partitionLeaderEpoch();
                            }
                            gapEnd = batch.lastOffset();
                        } else {
                            if (gapStart >= 0) {
                                writeGap(out, gapStart, gapEnd, gapEpoch, config);
                                gapStart = -1;
                            }
                            anyRecord = true;
                            if (kept == total) {
                                out.append(batch.buffer().duplicate().position(0).limit(batch.sizeInBytes()),
                                    config.indexIntervalBytes());
                            } else {
                                out.append(rebuild(s, pos, batch, now, config, segmentTimestamp),
                                    config.indexIntervalBytes());
                            }
                        }
                        pos += batch.sizeInBytes();
                    }
                }
                // The first segment stays (as one empty batch) even when nothing in it survives: removing it
                // would move the log start offset at the next open, and a consumer whose position lay in it
                // would get OFFSET_OUT_OF_RANGE instead of the next record (Kafka keeps the base offset too).
                if (!anyRecord && !isFirstSegment(log, group.get(0))) {
                    out.deleteFiles();
                    swapped = log.replaceSegments(group, null);
                    return new GroupOutcome(group, bytesBefore, 0, removed, swapped);
                }
                if (gapStart >= 0) {
                    writeGap(out, gapStart, gapEnd, gapEpoch, config);
                }
                out.seal();
                out.flush();
                out.renameTo(
                    LogFileNames.withSuffix(LogFileNames.logFile(dir, base), LogFileNames.SWAP_SUFFIX),
                    LogFileNames.withSuffix(LogFileNames.indexFile(dir, base), LogFileNames.SWAP_SUFFIX),
                    LogFileNames.withSuffix(LogFileNames.timeIndexFile(dir, base), LogFileNames.SWAP_SUFFIX));
                FileUtil.syncDir(channels, dir);
                swapped = log.replaceSegments(group, out);
                return new GroupOutcome(group, bytesBefore, out.size(), removed, swapped);
            } finally {
                if (!swapped) {
                    out.deleteFiles();
                }
            }
        }

        private static boolean isFirstSegment(Log log, LogSegment s) {
            List<LogSegment> segments = log.segmentsSnapshot();
            return !segments.isEmpty() && segments.get(0) == s;
        }

        private boolean retain(Record r, RecordBatch batch, long now, LogConfig config, long segmentTimestamp) {
            if (!r.hasKey()) {
                return true;
            }
            long newest = map.get(r.key());
            if (newest > r.offset()) {
                return false;
            }
            if (!r.hasValue()) {
                long ts = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : r.timestamp();
                if (ts < 0) {
                    ts = segmentTimestamp;
                }
                return now - ts <= config.deleteRetentionMs();
            }
            return true;
        }

        /** A new batch with the kept records of {@code batch}, its header fields and offset span preserved. */
        private ByteBuffer rebuild(LogSegment s, int pos, RecordBatch batch, long now, LogConfig config,
                                   long segmentTimestamp) {
            builder.reset()
                .compressionType(batch.compressionType())
                .baseOffset(batch.baseOffset())
                .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                .timestampType(batch.timestampType())
                .transactional(batch.isTransactional())
                .overrideLastOffset(batch.lastOffset());
            try {
                for (Record r : batch.records()) {
                    if (retain(r, batch, now, config, segmentTimestamp)) {
                        builder.appendWithOffset(r);
                    }
                }
            } catch (InvalidRecordBatchException e) {
                throw s.corrupt(pos, "records do not decode: " + e.getMessage());
            }
            ByteBuffer built = builder.build();
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                new RecordBatch(built, 0).setMaxTimestamp(TimestampType.LOG_APPEND_TIME, batch.maxTimestamp());
            }
            return built;
        }

        /**
         * One empty batch spanning offsets {@code [from, to]} whose records were all removed. It carries
         * the leader epoch of the first batch it replaces, the epoch reads and recovery expect at {@code from}.
         */
        private void writeGap(LogSegment out, long from, long to, int epoch, LogConfig config) throws IOException {
            ByteBuffer gap = builder.reset().baseOffset(from).overrideLastOffset(to).partitionLeaderEpoch(epoch).build();
            out.append(gap, config.indexIntervalBytes());
        }
    }
}
