package io.cairn.storage;

import static io.cairn.protocol.record.RecordBatchDescriptor.LAST_OFFSET_DELTA_OFFSET;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Opens a partition directory and brings it to a consistent state before the {@link Log} serves it.
 *
 * <ol>
 *   <li>Finishes or undoes interrupted file operations: {@code .deleted}, {@code .cleaned} and
 *       {@code .tmp} files are removed; a {@code .log.swap} (a committed cleaner output) replaces the
 *       segments whose base offsets its batches cover (one, or a run the cleaner merged); index files
 *       without a {@code .log} are removed.</li>
 *   <li>Opens every segment. After a clean shutdown, or for segments wholly below the recovery point,
 *       indexes are sanity-checked and rebuilt from the batch headers if they fail.</li>
 *   <li>After an unclean shutdown, every segment from the one holding the recovery point on is
 *       validated batch by batch (length, magic, offsets, CRC32C) and its indexes rebuilt. At the
 *       first invalid batch:
 *       <ul>
 *         <li>below the recovery point (data that was forced): {@link CorruptLogException}, nothing changed;</li>
 *         <li>in a sealed segment with a valid batch after it (damage in the middle):
 *             {@link CorruptLogException}, nothing changed;</li>
 *         <li>in a sealed segment, a whole batch with a valid CRC whose only fault is its leader epoch
 *             (no torn write leaves that): {@link CorruptLogException}, nothing changed;</li>
 *         <li>otherwise (a torn tail of unflushed data): the segment is truncated there and every later
 *             segment deleted, so the log ends at the last whole valid batch.</li>
 *       </ul></li>
 *   <li>Leader epochs: {@code leader-epoch-checkpoint} is trusted if it parses and covers the log (the
 *       scan checks every batch's epoch against it; entries beyond the end offset are dropped);
 *       otherwise the epochs are rebuilt from the batch headers, a negative or falling epoch being
 *       {@link CorruptLogException}. Changed epochs are written back before the log is shared.</li>
 * </ol>
 * Runs on a recovery thread, before the log is shared.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private final Path dir;
    private final TopicPartition tp;
    private final LogConfig config;
    private final LogEnvironment env;
    private final boolean cleanShutdown;
    private final long recoveryPointCheckpoint;
    private final long logStartCheckpoint;
    private final Set<Long> missingIndexes = new HashSet<>();

    LogLoader(Path dir, TopicPartition tp, LogConfig config, LogEnvironment env, boolean cleanShutdown,
              long recoveryPointCheckpoint, long logStartCheckpoint) {
        this.dir = dir;
        this.tp = tp;
        this.config = config;
        this.env = env;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPointCheckpoint = recoveryPointCheckpoint;
        this.logStartCheckpoint = logStartCheckpoint;
    }

    Log load() {
        List<LogSegment> opened = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            TreeSet<Long> baseOffsets = cleanUpAndListSegments();
            long now = env.clock().millis();
            for (long base : baseOffsets) {
                opened.add(LogSegment.open(tp, dir, base, env.channels(), now));
            }
            boolean created = opened.isEmpty();
            if (created) {
                long start = Math.max(0, logStartCheckpoint);
                opened.add(LogSegment.create(tp, dir, start, config, env.channels(), now));
                FileUtil.syncDir(env.channels(), dir);
            }
            // a segment created just now holds nothing to recover
            long recoveryPoint = cleanShutdown || created ? Long.MAX_VALUE : Math.max(0, recoveryPointCheckpoint);
            LeaderEpochCheckpointFile epochFile = new LeaderEpochCheckpointFile(tp, dir, env.channels());
            LeaderEpochs fromFile = epochFile.read();
            LeaderEpochs trusted = trustedEpochs(fromFile, opened);
            LogSegment last;
            long endOffset;
            LeaderEpochs epochs;
            try {
                recover(opened, recoveryPoint, trusted);
                // Recovery may have removed later segments: the last one is known only now.
                last = opened.get(opened.size() - 1);
                last.resizeIndexes(config.segmentIndexBytes());
                endOffset = last.readNextOffset();
                epochs = trusted != null ? trusted.truncatedTo(endOffset) : rebuildEpochs(opened);
            } catch (CorruptLogException e) {
                if (!cleanShutdown) {
                    throw e;
                }
                // A clean-shutdown marker contradicted by the files (a stale or planted marker): do not trust it.
                LOG.warn("{}: the log does not parse although the shutdown was marked clean ({}); "
                    + "recovering as after an unclean shutdown", tp, e.getMessage());
                return reload(opened, Math.max(0, recoveryPointCheckpoint));
            }
            if (recoveryPoint != Long.MAX_VALUE && recoveryPoint > endOffset) {
                // Segments below the checkpointed recovery point were trusted on its word; it lies beyond the log.
                LOG.warn("{}: recovery point checkpoint {} is beyond the log end offset {}; not trusting it, "
                    + "validating every segment", tp, recoveryPoint, endOffset);
                return reload(opened, 0);
            }
            long firstBase = opened.get(0).baseOffset();
            long start = Math.max(logStartCheckpoint, firstBase);
            if (start > endOffset) {
                LOG.warn("{}: log start offset checkpoint {} is beyond the log end offset {}; not trusting it, "
                    + "the log starts at its first segment ({})", tp, logStartCheckpoint, endOffset, firstBase);
                start = firstBase;
            }
            ConcurrentSkipListMap<Long, LogSegment> map = new ConcurrentSkipListMap<>();
            for (LogSegment s : opened) {
                map.put(s.baseOffset(), s);
            }
            if (!epochs.equals(fromFile) && (epochs.size() > 0 || epochFile.exists())) {
                // Before the log is shared: an entry the file keeps beyond the end would otherwise meet new batches.
                epochFile.write(epochs);
            }
            long rp = cleanShutdown ? endOffset : Math.min(recoveryPoint, endOffset);
            return new Log(tp, dir, config, env, map, start, rp, endOffset, epochs);
        } catch (IOException e) {
            closeQuietly(opened);
            throw new StorageException(tp + ": cannot open log directory " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    /** Closes what was opened and loads again as after an unclean shutdown with {@code recoveryPoint}. */
    private Log reload(List<LogSegment> opened, long recoveryPoint) {
        closeQuietly(opened);
        return new LogLoader(dir, tp, config, env, false, recoveryPoint, logStartCheckpoint).load();
    }

    /** Removes leftovers of interrupted operations; returns the base offsets of the segments. */
    private TreeSet<Long> cleanUpAndListSegments() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                files.add(p);
            }
        }
        // Swaps first: they may replace segments listed below.
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (name.endsWith(LogFileNames.LOG_SUFFIX + LogFileNames.SWAP_SUFFIX)) {
                completeSwap(p, LogFileNames.baseOffsetOf(name), files);
            }
        }
        TreeSet<Long> bases = new TreeSet<>();
        List<Path> indexFiles = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (name.endsWith(LogFileNames.DELETED_SUFFIX) || name.endsWith(LogFileNames.CLEANED_SUFFIX)
                    || name.endsWith(LogFileNames.TMP_SUFFIX) || name.endsWith(LogFileNames.SWAP_SUFFIX)) {
                    LOG.info("{}: removing leftover file {}", tp, p);
                    env.channels().deleteIfExists(p);
                } else if (name.endsWith(LogFileNames.LOG_SUFFIX)) {
                    long base = LogFileNames.baseOffsetOf(name);
                    if (base < 0 || name.length() != LogFileNames.OFFSET_DIGITS + LogFileNames.LOG_SUFFIX.length()) {
                        throw new StorageException(tp + ": unexpected file name " + p + " (expected "
                            + LogFileNames.OFFSET_DIGITS + " digits + .log)");
                    }
                    bases.add(base);
                } else if (name.endsWith(LogFileNames.INDEX_SUFFIX) || name.endsWith(LogFileNames.TIME_INDEX_SUFFIX)) {
                    indexFiles.add(p);
                }
            }
        }
        for (Path p : indexFiles) {
            long base = LogFileNames.baseOffsetOf(p.getFileName().toString());
            if (!bases.contains(base)) {
                LOG.info("{}: removing index without a log file: {}", tp, p);
                env.channels().deleteIfExists(p);
            }
        }
        for (long base : bases) {
            if (!Files.exists(LogFileNames.indexFile(dir, base)) || !Files.exists(LogFileNames.timeIndexFile(dir, base))) {
                missingIndexes.add(base);
            }
        }
        return bases;
    }

    /**
     * A {@code .log.swap} is a cleaned segment whose write had completed (the rename to
     * {@code .swap} is the commit point). It replaces the segment of the same base offset and every
     * later one whose base offset lies within its batches (the cleaner merges adjacent segments; the
     * merged ones may still be live if the crash came before they were renamed for deletion). Its
     * indexes are rebuilt, since the cleaner's index files may not have been renamed yet.
     */
    private void completeSwap(Path swap, long base, List<Path> files) throws IOException {
        if (base < 0) {
            return;
        }
        long end = swapEndOffset(swap, base);
        Path log = LogFileNames.logFile(dir, base);
        LOG.info("{}: completing interrupted swap of {} into {} (offsets up to {})", tp, swap, log, end);
        for (Path p : files) {
            String name = p.getFileName().toString();
            long b = LogFileNames.baseOffsetOf(name);
            if (b > base && b < end && name.endsWith(LogFileNames.LOG_SUFFIX)) {
                LOG.info("{}: removing {}, merged into {}", tp, p, swap);
                env.channels().deleteIfExists(LogFileNames.indexFile(dir, b));
                env.channels().deleteIfExists(LogFileNames.timeIndexFile(dir, b));
                env.channels().deleteIfExists(p);
            }
        }
        env.channels().deleteIfExists(LogFileNames.indexFile(dir, base));
        env.channels().deleteIfExists(LogFileNames.timeIndexFile(dir, base));
        env.channels().move(swap, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileUtil.syncDir(env.channels(), dir);
    }

    /**
     * The checkpointed epochs if they can describe this log: their first entry must cover the first
     * segment (every batch then has an entry), and there must be one if any segment holds data. Null
     * (rebuild from the log) if not, or if the file was missing or damaged.
     */
    private LeaderEpochs trustedEpochs(LeaderEpochs fromFile, List<LogSegment> segments) {
        if (fromFile == null) {
            return null;
        }
        boolean hasData = false;
        for (LogSegment s : segments) {
            hasData |= s.size() > 0;
        }
        long firstBase = segments.get(0).baseOffset();
        if (fromFile.size() == 0 ? hasData : fromFile.startOffset(0) > firstBase) {
            LOG.warn("{}: {} {} does not cover the log (first segment at offset {}); rebuilding the leader epochs "
                + "from the log", tp, LeaderEpochCheckpointFile.NAME, fromFile, firstBase);
            return null;
        }
        return fromFile;
    }

    /**
     * The epochs as the batch headers tell them, for a log without a trustworthy checkpoint: a new
     * entry wherever the epoch rises (the first at the first segment's base offset). An epoch that is
     * negative or falls is damage: {@link CorruptLogException}. A raised epoch in the last batches
     * cannot be told from a leader change here; that is what the checkpoint is for.
     */
    private LeaderEpochs rebuildEpochs(List<LogSegment> segments) throws IOException {
        BatchHeaderReader reader = BatchHeaderReader.forThread();
        LeaderEpochs epochs = LeaderEpochs.EMPTY;
        long firstBase = segments.get(0).baseOffset();
        String latestFrom = null;
        for (LogSegment segment : segments) {
            int limit = segment.size();
            int pos = 0;
            while (pos < limit) {
                reader.read(segment, pos, limit);
                int epoch = reader.partitionLeaderEpoch();
                if (!LeaderEpochs.exempt(epoch, reader.recordCount())) {
                    if (epoch < 0) {
                        throw segment.corrupt(pos, "partitionLeaderEpoch=" + epoch + " is negative");
                    }
                    if (epoch < epochs.latestEpoch()) {
                        throw segment.corrupt(pos, "partitionLeaderEpoch=" + epoch + " is below epoch "
                            + epochs.latestEpoch() + " of an earlier batch (it began at " + latestFrom
                            + "; epochs never decrease along a log, so one of the two is damaged)");
                    }
                    if (epoch > epochs.latestEpoch()) {
                        epochs = epochs.withEpoch(epoch, epochs.size() == 0 ? firstBase : reader.baseOffset());
                        latestFrom = "position=" + pos + " in " + segment.logFile();
                    }
                }
                pos += reader.batchSize();
            }
        }
        LOG.info("{}: rebuilt the leader epochs from the log: {}", tp, epochs);
        return epochs;
    }

    /**
     * The offset after the last batch of a committed swap file (forced before its rename, so whole):
     * read from the batch headers. A header that does not parse ends the walk early, which can only
     * leave a merged segment behind for recovery to report, never remove one the swap does not hold.
     */
    private long swapEndOffset(Path swap, long base) throws IOException {
        long end = base;
        ByteBuffer header = ByteBuffer.allocate(LAST_OFFSET_DELTA_OFFSET + Integer.BYTES);
        try (FileChannel ch = env.channels().open(swap, Set.of(StandardOpenOption.READ))) {
            long size = ch.size();
            long pos = 0;
            while (pos + header.capacity() <= size) {
                header.clear();
                while (header.hasRemaining()) {
                    if (ch.read(header, pos + header.position()) < 0) {
                        throw new IOException(swap + " ended while reading the batch header at position " + pos);
                    }
                }
                long batchBase = BatchHeaders.baseOffset(header, 0);
                int batchSize = BatchHeaders.batchSize(header, 0);
                if (batchBase < end || batchSize <= LOG_OVERHEAD || pos + batchSize > size) {
                    LOG.warn("{}: {} has an unexpected batch header at position {}: baseOffset={} size={}", tp, swap,
                        pos, batchBase, batchSize);
                    break;
                }
                end = BatchHeaders.lastOffset(header, 0) + 1;
                pos += batchSize;
            }
        }
        return end;
    }

    private void recover(List<LogSegment> segments, long recoveryPoint, LeaderEpochs epochs) throws IOException {
        int firstToScan = segments.size();
        if (recoveryPoint != Long.MAX_VALUE) {
            // From the segment holding recoveryPoint - 1 (and the one holding the recovery point): a
            // recovery point exactly at a segment boundary says nothing about whether the previous
            // segment's seal (trimmed indexes, final time-index entry) reached the disk.
            firstToScan = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).baseOffset() < recoveryPoint) {
                    firstToScan = i;
                }
            }
        }
        for (int i = 0; i < firstToScan; i++) {
            checkIndexes(segments.get(i), i == segments.size() - 1);
        }
        if (firstToScan == segments.size()) {
            return;
        }
        long scanStartNs = System.nanoTime();
        long scanFromOffset = segments.get(firstToScan).baseOffset();
        long scannedBytes = scan(segments, firstToScan, recoveryPoint, epochs);
        // segments past a torn tail were removed from the list: what is left from firstToScan was scanned
        int scannedSegments = segments.size() - firstToScan;
        // One line per partition that had bytes to recover: what recovery cost, for operators and the
        // recovery-speed suite; empty partitions (most of __consumer_offsets) would only add noise.
        LOG.atLevel(scannedBytes > 0 ? Level.INFO : Level.DEBUG).log(
            "{}: recovered from recovery point {}: scanned {} bytes in {} segment(s) from offset {} in {} ms",
            tp, recoveryPoint, scannedBytes, scannedSegments, scanFromOffset,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scanStartNs));
    }

    /**
     * Validates segments from {@code firstToScan} on (leader epochs against {@code epochs} unless
     * null); returns the bytes of valid batches scanned.
     */
    private long scan(List<LogSegment> segments, int firstToScan, long recoveryPoint, LeaderEpochs epochs)
        throws IOException {
        long scannedBytes = 0;
        for (int i = firstToScan; i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            SegmentScanner.Result result = segment.recover(config.indexIntervalBytes(), config.segmentIndexBytes(),
                epochs);
            scannedBytes += result.validBytes();
            if (result.valid()) {
                if (!last) {
                    segment.seal();
                }
                continue;
            }
            int position = result.validBytes();
            boolean validFollows = SegmentScanner.validBatchAfter(segment, position);
            if (result.nextOffset() < recoveryPoint && (!last || validFollows)) {
                throw segment.corrupt(position, result.invalidReason() + "; the batch lies below the recovery point "
                    + recoveryPoint + " (forced data), refusing to truncate");
            }
            if (!last && result.intact()) {
                // A whole batch with a matching CRC is not a torn write, even at the end of a segment.
                throw segment.corrupt(position, result.invalidReason() + "; the batch is whole with a valid CRC"
                    + " (damage, not a torn write) in a sealed segment, refusing to truncate");
            }
            if (!last && validFollows) {
                throw segment.corrupt(position, result.invalidReason() + "; valid batches follow in this sealed segment,"
                    + " refusing to truncate");
            }
            if (result.nextOffset() < recoveryPoint) {
                // The log's tail ends below the checkpointed recovery point: the checkpoint is beyond the log
                // end and not trusted (load() rescans everything). If it was right, forced data was lost.
                LOG.error("{}: recovery point checkpoint {} lies beyond the last valid batch (offset {}) in {}: {}; "
                    + "not trusting the checkpoint, truncating the tail", tp, recoveryPoint, result.nextOffset(),
                    segment.logFile(), result.invalidReason());
            }
            LOG.warn("{}: truncating {} at position={} (offset {}): {}; removing {} later segment(s)", tp,
                segment.logFile(), position, result.nextOffset(), result.invalidReason(), segments.size() - 1 - i);
            segment.truncateToPosition(position, result.nextOffset());
            while (segments.size() > i + 1) {
                LogSegment doomed = segments.remove(segments.size() - 1);
                doomed.renameForDeletion();
                doomed.deleteRenamedFiles(true);
            }
            FileUtil.syncDir(env.channels(), dir);
            break;
        }
        return scannedBytes;
    }

    /** Trusts a segment's indexes if they pass a sanity check, else rebuilds them from the batch headers. */
    private void checkIndexes(LogSegment segment, boolean last) throws IOException {
        String problem = missingIndexes.contains(segment.baseOffset()) ? "index file missing"
            : segment.indexSanityCheck(config.indexIntervalBytes());
        if (problem != null) {
            LOG.warn("{}: rebuilding indexes of {}: {}", tp, segment.logFile(), problem);
            segment.rebuildIndexes(config.indexIntervalBytes(), config.segmentIndexBytes());
            if (!last) {
                segment.seal();
                // Below the recovery point no flush would reach these indexes: force them now.
                segment.flush();
            }
        } else if (!last) {
            segment.seal();
        }
    }

    private static void closeQuietly(List<LogSegment> segments) {
        for (LogSegment s : segments) {
            try {
                s.closeChannel();
            } catch (IOException e) {
                // already failing; the original error is what matters
            }
        }
    }
}
