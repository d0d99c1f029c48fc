package io.cairn.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs of one data directory.
 *
 * <p>{@link #open} locks the directory ({@code .lock}), opens every {@code <topic>-<partition>}
 * directory in parallel (recovering those not covered by {@code .clean-shutdown}), removes
 * directories left by deletions, then starts the flush thread ({@link FlushService}) and a
 * scheduler for retention and checkpoints. {@link #close} flushes everything, closes every log,
 * writes the checkpoints and {@code .clean-shutdown}, and releases the lock.
 *
 * <p>A partition that cannot be opened (damaged data, unreadable directory) does not stop the
 * others: it is listed by {@link #offlinePartitions()} with its exception, its files untouched. An
 * I/O failure in any log (failed write or fsync) takes the whole directory offline: every log
 * refuses appends and flushes from then on, and {@code .clean-shutdown} is not written.
 *
 * <p>Threading: all public methods are thread-safe. Creating and deleting logs is serialized by the
 * manager's monitor; lookups are lock-free.
 */
public final class LogManager implements AutoCloseable {
    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_CHECKPOINT = "log-start-offset-checkpoint";
    static final String DELETE_DIR_SUFFIX = "-delete";
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    /**
     * Logs the flush service forces at once: as many as Kafka's default request handler threads
     * (num.io.threads=8), which is how many partitions Kafka can flush at the same time.
     */
    private static final int FLUSH_FORCE_THREADS = 8;

    private final Path dataDir;
    private final LogManagerConfig config;
    private final LogEnvironment env;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<TopicPartition, Log> logs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TopicPartition, StorageException> offline = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> offlineRecoveryPoints = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> offlineLogStarts = new ConcurrentHashMap<>();
    private final OffsetCheckpointFile recoveryPoints;
    private final OffsetCheckpointFile logStarts;
    private final FlushService flushService;
    private final ScheduledExecutorService scheduler;
    private final ScheduledThreadPoolExecutor deleter;
    private final LogCleaner cleaner;
    private final Object checkpointLock = new Object();
    private volatile Throwable dirFailure;
    private volatile boolean closed;

    private LogManager(Path dataDir, LogManagerConfig config, FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recoveryPoints = new OffsetCheckpointFile(dataDir.resolve(RECOVERY_POINT_CHECKPOINT), config.channels());
        this.logStarts = new OffsetCheckpointFile(dataDir.resolve(LOG_START_CHECKPOINT), config.channels());
        this.flushService = new FlushService(config.clock(), config.flushCheckIntervalMs(), "cairn-log-flusher",
            FLUSH_FORCE_THREADS);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("cairn-log-scheduler"));
        this.deleter = new ScheduledThreadPoolExecutor(1, daemon("cairn-log-deleter"));
        this.env = new LogEnvironment(config.clock(), config.channels(), deleter, this::logFailed,
            config.endOffsetListener(), flushService::requestFlush);
        this.cleaner = new LogCleaner(config.cleanerThreads(), config.cleanerBackoffMs(),
            config.cleanerDedupeBufferBytes(), config.clock(), config.channels(), dataDir, logs::values);
    }

    /**
     * Opens (creating if absent) the data directory and every partition log in it.
     *
     * @throws LogDirLockedException if another manager holds the directory
     * @throws StorageException      if the directory cannot be created, read or locked
     */
    public static LogManager open(Path dataDir, LogManagerConfig config) {
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(dataDir);
            if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
                throw new StorageException("data directory " + dataDir + " is not a writable directory");
            }
            lockChannel = config.channels().open(dataDir.resolve(LOCK_FILE),
                EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            FileLock fileLock;
            try {
                fileLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new LogDirLockedException("data directory " + dataDir + " is locked by another broker ("
                    + dataDir.resolve(LOCK_FILE) + ")");
            }
            LogManager manager = new LogManager(dataDir, config, lockChannel, fileLock);
            try {
                manager.loadLogs();
                manager.startSchedules();
            } catch (RuntimeException e) {
                manager.closeQuietlyAfterFailedOpen();
                throw e;
            }
            return manager;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StorageException("cannot open data directory " + dataDir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the open already failed
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------ start

    private void loadLogs() throws IOException {
        Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean markerFound = Files.exists(marker);
        if (markerFound && Files.size(marker) != 0) {
            // The marker is written empty: anything else is not ours (or not whole), so not a clean shutdown.
            LOG.warn("{} holds {} bytes (written empty); treating the last shutdown as unclean", marker,
                Files.size(marker));
            markerFound = false;
        }
        boolean cleanShutdown = markerFound;
        Map<TopicPartition, Long> rps = recoveryPoints.read();
        Map<TopicPartition, Long> starts = logStarts.read();
        List<TopicPartition> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (name.endsWith(DELETE_DIR_SUFFIX)) {
                    LOG.info("removing log directory left by a deletion: {}", p);
                    FileUtil.deleteRecursively(p);
                    continue;
                }
                TopicPartition tp = TopicPartition.parseDirName(name);
                if (tp != null) {
                    found.add(tp);
                }
            }
        }
        removeCheckpointLeftovers();
        long startNs = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.recoveryThreads(), Math.max(1, found.size())),
            daemon("cairn-log-recovery"));
        try {
            Map<TopicPartition, Future<Log>> futures = new HashMap<>();
            for (TopicPartition tp : found) {
                long rp = rps.getOrDefault(tp, 0L);
                long start = starts.getOrDefault(tp, 0L);
                futures.put(tp, pool.submit(() -> Log.open(dataDir.resolve(tp.dirName()), tp,
                    config.configFor(tp.topic()), env, cleanShutdown, rp, start)));
            }
            for (Map.Entry<TopicPartition, Future<Log>> e : futures.entrySet()) {
                TopicPartition tp = e.getKey();
                try {
                    registerLog(e.getValue().get());
                } catch (ExecutionException ex) {
                    StorageException failure = ex.getCause() instanceof StorageException se ? se
                        : new StorageException(tp + ": cannot open log: " + ex.getCause(), ex.getCause());
                    LOG.error("{}: partition offline: {}", tp, failure.getMessage());
                    offline.put(tp, failure);
                    if (rps.containsKey(tp)) {
                        offlineRecoveryPoints.put(tp, rps.get(tp));
                    }
                    if (starts.containsKey(tp)) {
                        offlineLogStarts.put(tp, starts.get(tp));
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while opening logs in " + dataDir, ex);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("opened {} logs in {} ({} offline, {}) in {} ms", logs.size(), dataDir, offline.size(),
            openKind(cleanShutdown, found.isEmpty()), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        // From here on a crash is unclean: the marker must be gone (durably) before any append.
        if (Files.deleteIfExists(marker)) {
            FileUtil.syncDir(config.channels(), dataDir);
        }
    }

    /**
     * How the directory was left: a brand-new one (no partition and no checkpoint yet) is not an
     * unclean shutdown, even though it has no {@code .clean-shutdown} marker.
     */
    private String openKind(boolean cleanShutdown, boolean noPartitions) {
        if (cleanShutdown) {
            return "clean shutdown";
        }
        if (noPartitions && !Files.exists(dataDir.resolve(RECOVERY_POINT_CHECKPOINT))
            && !Files.exists(dataDir.resolve(LOG_START_CHECKPOINT))) {
            return "new data directory";
        }
        return "unclean shutdown";
    }

    /**
     * A crash while a checkpoint was being replaced leaves its {@code .tmp} beside it; the checkpoint
     * itself is intact (old or new), so the leftover goes.
     */
    private void removeCheckpointLeftovers() throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dataDir, "*" + LogFileNames.TMP_SUFFIX)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    LOG.info("removing checkpoint left by an interrupted write: {}", p);
                    config.channels().deleteIfExists(p);
                }
            }
        }
    }

    private void registerLog(Log log) {
        logs.put(log.topicPartition(), log);
        flushService.register(log);
    }

    private void startSchedules() {
        cleaner.start();
        scheduler.scheduleWithFixedDelay(this::retentionPassSafely, config.retentionCheckIntervalMs(),
            config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkpointSafely, config.checkpointIntervalMs(),
            config.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ logs

    public Path dataDir() {
        return dataDir;
    }

    public LogManagerConfig config() {
        return config;
    }

    /** The open log of {@code tp}, if there is one (not for offline partitions). */
    public Optional<Log> log(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /** Every open log. */
    public Collection<Log> logs() {
        return List.copyOf(logs.values());
    }

    /** Partitions whose log could not be opened, with the reason (file, position). Their files are untouched. */
    public Map<TopicPartition, StorageException> offlinePartitions() {
        return Map.copyOf(offline);
    }

    /**
     * Partitions compaction gave up on (a damaged batch met while cleaning), with the reason naming
     * the file and position. They keep serving; they are just not compacted any more.
     */
    public Map<TopicPartition, StorageException> uncleanablePartitions() {
        return cleaner.uncleanable();
    }

    /** The compactor (tests). */
    LogCleaner cleaner() {
        return cleaner;
    }

    /** True once an I/O failure took the whole directory offline. */
    public boolean isOffline() {
        return dirFailure != null;
    }

    public Optional<Throwable> offlineCause() {
        return Optional.ofNullable(dirFailure);
    }

    /** The group-commit service; also see {@link #flushAsync}. */
    public FlushService flushService() {
        return flushService;
    }

    /** Shorthand for {@code flushService().flushAsync(log, offsetExclusive)}. */
    public CompletableFuture<Long> flushAsync(Log log, long offsetExclusive) {
        return flushService.flushAsync(log, offsetExclusive);
    }

    /**
     * Returns the log of {@code tp}, creating an empty one with {@code logConfig} if there is none.
     *
     * @throws LogOfflineException if the directory or that partition is offline
     */
    public synchronized Log getOrCreateLog(TopicPartition tp, LogConfig logConfig) {
        checkUsable();
        Log existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        StorageException failure = offline.get(tp);
        if (failure != null) {
            throw new LogOfflineException(tp + ": partition is offline: " + failure.getMessage(), failure);
        }
        Log log = Log.open(dataDir.resolve(tp.dirName()), tp, logConfig, env, false, 0, 0);
        try {
            FileUtil.syncDir(config.channels(), dataDir);
        } catch (IOException e) {
            log.close();
            logFailed(log, e);
            throw new LogOfflineException(tp + ": creating log directory failed: " + e, e);
        }
        registerLog(log);
        LOG.info("{}: created log in {}", tp, log.dir());
        return log;
    }

    /**
     * Deletes the log of {@code tp}: it stops taking appends at once, its directory is renamed to
     * {@code <topic>-<partition>.<uuid>-delete} and removed after {@code file.delete.delay.ms}
     * (slices already handed out stay readable). Returns false if there was no such log.
     */
    public synchronized boolean deleteLog(TopicPartition tp) {
        Log log = logs.remove(tp);
        offline.remove(tp);
        offlineRecoveryPoints.remove(tp);
        offlineLogStarts.remove(tp);
        if (log == null) {
            return false;
        }
        flushService.unregister(log);
        cleaner.forget(tp);
        log.delete(tp.dirName() + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_DIR_SUFFIX);
        try {
            FileUtil.syncDir(config.channels(), dataDir);
        } catch (IOException e) {
            LOG.warn("{}: could not force {} after deleting the log: {}", tp, dataDir, e.toString());
        }
        LOG.info("{}: deleted log", tp);
        return true;
    }

    private void checkUsable() {
        if (closed) {
            throw new LogOfflineException("log manager for " + dataDir + " is closed", null);
        }
        Throwable failure = dirFailure;
        if (failure != null) {
            throw new LogOfflineException("data directory " + dataDir + " is offline after " + failure, failure);
        }
    }

    /** A log hit an I/O error: the whole directory goes offline (Kafka's log-dir failure). */
    private void logFailed(Log failed, Throwable cause) {
        synchronized (this) {
            if (dirFailure != null) {
                return;
            }
            dirFailure = cause;
        }
        LOG.error("data directory {} is offline after an I/O error in {}: {}", dataDir, failed.topicPartition(),
            cause.toString());
        for (Log log : logs.values()) {
            if (log != failed) {
                log.markOffline(cause);
            }
        }
    }

    // ------------------------------------------------------------------ retention, checkpoints

    /** Runs retention on every log now; returns the number of segments deleted. */
    int retentionPass() {
        long now = config.clock().millis();
        int deleted = 0;
        for (Log log : logs.values()) {
            try {
                deleted += LogRetention.apply(log, now);
            } catch (IOException | StorageException e) {
                LOG.warn("{}: retention failed: {}", log.topicPartition(), e.toString());
            }
        }
        return deleted;
    }

    private void retentionPassSafely() {
        try {
            retentionPass();
        } catch (RuntimeException e) {
            LOG.error("retention pass failed", e);
        }
    }

    /**
     * Writes the recovery-point and log-start checkpoints for every log (offline partitions keep the
     * values they were opened with). Skipped once the directory is offline.
     */
    public void checkpoint() {
        if (dirFailure != null) {
            return;
        }
        synchronized (checkpointLock) {
            Map<TopicPartition, Long> rp = new HashMap<>(offlineRecoveryPoints);
            Map<TopicPartition, Long> start = new HashMap<>(offlineLogStarts);
            for (Log log : logs.values()) {
                rp.put(log.topicPartition(), log.recoveryPoint());
                start.put(log.topicPartition(), log.logStartOffset());
            }
            try {
                recoveryPoints.write(rp);
                logStarts.write(start);
            } catch (IOException e) {
                throw new StorageException("writing checkpoints in " + dataDir + " failed: " + e, e);
            }
        }
    }

    private void checkpointSafely() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.error("checkpoint failed", e);
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Clean shutdown: stops the background threads, flushes and closes every log, writes the
     * checkpoints and {@code .clean-shutdown} (only if every flush succeeded and the directory is
     * online), and releases the directory lock. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleaner.close();
        scheduler.shutdownNow();
        flushService.close();
        boolean clean = dirFailure == null;
        for (Log log : logs.values()) {
            try {
                if (!log.isOffline()) {
                    log.flush();
                }
            } catch (StorageException e) {
                clean = false;
                LOG.error("{}: flush at shutdown failed: {}", log.topicPartition(), e.toString());
            }
        }
        runPendingDeletions();
        for (Log log : logs.values()) {
            if (!log.close()) {
                clean = false;
            }
        }
        try {
            if (clean && dirFailure == null) {
                checkpoint();
                Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
                Files.deleteIfExists(marker);
                Files.createFile(marker);
                FileUtil.syncDir(config.channels(), dataDir);
            }
        } catch (IOException | StorageException e) {
            LOG.error("could not complete clean shutdown of {}: {}", dataDir, e.toString());
        } finally {
            releaseLock();
        }
        LOG.info("closed log manager for {} ({})", dataDir, clean ? "clean" : "unclean");
    }

    /**
     * Drops deletions still waiting for their delay: their files are already renamed
     * ({@code .deleted}, {@code -delete}) and the next start removes them. Not run now, because a
     * reader may still hold a removed segment, and running them would unmap it under that reader.
     */
    private void runPendingDeletions() {
        deleter.shutdownNow();
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("could not release {}: {}", dataDir.resolve(LOCK_FILE), e.toString());
        }
        closeQuietly(lockChannel);
    }

    /**
     * Abandons the manager as {@code kill -9} would: stops the background threads (flush, retention,
     * checkpoints, cleaner, delayed deletes) and releases the directory lock, without flushing,
     * checkpointing, closing the logs or writing {@code .clean-shutdown}. Bytes already written stay
     * in the page cache, so the next {@link #open} runs recovery on exactly what a killed process
     * leaves behind. Pending flush futures are failed. For crash tests and embedding tools; a broker
     * that shuts down uses {@link #close()}. Idempotent; after it (or {@link #close()}) it does nothing.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        cleaner.close();
        scheduler.shutdownNow();
        flushService.close();
        deleter.shutdownNow();
        for (Log log : logs.values()) {
            log.abandon();
        }
        releaseLock();
        LOG.warn("halted log manager for {} without a clean shutdown; the next open recovers", dataDir);
    }

    private void closeQuietlyAfterFailedOpen() {
        closed = true;
        cleaner.close();
        scheduler.shutdownNow();
        flushService.close();
        runPendingDeletions();
        for (Log log : logs.values()) {
            log.close();
        }
        releaseLock();
    }
}
