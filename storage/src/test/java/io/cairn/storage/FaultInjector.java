package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileChannelFactory} that breaks storage on purpose, for the reliability suites (storage's and,
 * through the test jar, the broker's). Three faults, each off until asked for:
 *
 * <ul>
 *   <li><b>Crash at step k</b> ({@link #crashAtStep}): counts every step that changes the file system —
 *       opening a file for writing, a write, a truncate, a force, a rename, a delete — and at step k throws
 *       instead of doing it; every later step throws too, so nothing more reaches the disk, as after
 *       {@code kill -9}. What was written before stays (the page cache survives a process crash).</li>
 *   <li><b>Full disk</b> ({@link #limitSpace}): a byte budget for writes; the write that does not fit
 *       writes what fits and then fails with "No space left on device" (a short write followed by
 *       ENOSPC). Truncates and deletes give space back. {@link #unlimitedSpace} ends it.</li>
 *   <li><b>fsync EIO</b> ({@link #failForces}): {@code force} on matching paths fails with
 *       "Input/output error"; every force attempt is counted per path.</li>
 * </ul>
 * Thread-safe. {@link #steps()} lists the steps taken, for naming a failing case.
 */
public final class FaultInjector implements FileChannelFactory {
    private final AtomicLong stepCount = new AtomicLong();
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final AtomicLong forceAttempts = new AtomicLong();
    private final AtomicLong failedForces = new AtomicLong();
    private final AtomicLong forcesAfterFailure = new AtomicLong();
    private volatile long crashAt = Long.MAX_VALUE;
    private volatile boolean crashed;
    private volatile boolean recordSteps;
    private volatile Predicate<Path> failForce = p -> false;
    private volatile boolean realForces = true;
    private final Object spaceLock = new Object();
    private long spaceBytes = Long.MAX_VALUE;
    /** Bytes written per file: what truncating or deleting it gives back (holes of sparse files take no space). */
    private final Map<Path, Long> used = new HashMap<>();

    /**
     * Forces are counted (and can fail or crash) but not passed to the disk: for suites that model a
     * process crash, where the page cache survives, and must not pay for real fsyncs.
     */
    public FaultInjector withoutRealForces() {
        realForces = false;
        return this;
    }

    /** Every later step with number {@code k} (1-based, counted from now) or above throws. */
    public void crashAtStep(long k) {
        stepCount.set(0);
        crashAt = k;
    }

    /** Starts counting (and recording) steps from zero without crashing. */
    public void countSteps() {
        stepCount.set(0);
        steps.clear();
        recordSteps = true;
        crashAt = Long.MAX_VALUE;
    }

    public long stepsTaken() {
        return stepCount.get();
    }

    public List<String> steps() {
        return List.copyOf(steps);
    }

    public boolean crashed() {
        return crashed;
    }

    /** From now on only {@code bytes} more may be written (until {@link #unlimitedSpace}). */
    public void limitSpace(long bytes) {
        synchronized (spaceLock) {
            spaceBytes = bytes;
        }
    }

    public void unlimitedSpace() {
        limitSpace(Long.MAX_VALUE);
    }

    /** {@code force} on paths matching {@code paths} fails with EIO from now on. */
    public void failForces(Predicate<Path> paths) {
        failForce = paths;
    }

    /** Force calls on paths set to fail, including the failing ones. */
    public long failedForceAttempts() {
        return failedForces.get();
    }

    /** Force calls (on any path) made after the first injected force failure. */
    public long forcesAfterFailure() {
        return forcesAfterFailure.get();
    }

    public long forceAttempts() {
        return forceAttempts.get();
    }

    private void step(String what, Path path) throws IOException {
        if (crashed) {
            throw new IOException("process is dead (injected crash): " + what + " " + path);
        }
        long n = stepCount.incrementAndGet();
        if (recordSteps) {
            steps.add(n + ": " + what + " " + path.getFileName());
        }
        if (n >= crashAt) {
            crashed = true;
            throw new IOException("injected crash at step " + n + ": " + what + " " + path);
        }
    }

    /** Takes up to {@code wanted} bytes of space for {@code path}; returns how many fit. */
    private long take(Path path, long wanted) {
        synchronized (spaceLock) {
            long granted = spaceBytes == Long.MAX_VALUE ? wanted : Math.min(wanted, spaceBytes);
            if (spaceBytes != Long.MAX_VALUE) {
                spaceBytes -= granted;
            }
            used.merge(path, granted, Long::sum);
            return granted;
        }
    }

    /** {@code path} now holds at most {@code bytes}: whatever it used above that is free again. */
    private void shrink(Path path, long bytes) {
        synchronized (spaceLock) {
            long had = used.getOrDefault(path, 0L);
            long freed = Math.max(0, had - bytes);
            used.put(path, had - freed);
            if (spaceBytes != Long.MAX_VALUE) {
                spaceBytes += freed;
            }
        }
    }

    private void renamed(Path from, Path to) {
        synchronized (spaceLock) {
            Long had = used.remove(from);
            if (had != null) {
                used.put(to, had);
            }
        }
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.CREATE)
            || options.contains(StandardOpenOption.CREATE_NEW);
        if (writes) {
            step("open", path);
        }
        return new Channel(FileChannel.open(path, options), path);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        step("move to " + target.getFileName(), source);
        Files.move(source, target, options);
        renamed(source, target);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        step("delete", path);
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            shrink(path, 0);
        }
        return deleted;
    }

    private final class Channel extends ForwardingFileChannel {
        Channel(FileChannel delegate, Path path) {
            super(delegate, path);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            step("write", path);
            return writeWithin(src, -1);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            step("write", path);
            return writeWithin(src, position);
        }

        private int writeWithin(ByteBuffer src, long position) throws IOException {
            int wanted = src.remaining();
            long fits = take(path, wanted);
            if (fits < wanted) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + (int) fits);
                int written = position < 0 ? delegate.write(part) : delegate.write(part, position);
                src.position(src.position() + written);
                throw new IOException("No space left on device");
            }
            return position < 0 ? delegate.write(src) : delegate.write(src, position);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            step("truncate", path);
            delegate.truncate(size);
            shrink(path, size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            step("force", path);
            forceAttempts.incrementAndGet();
            if (failedForces.get() > 0) {
                forcesAfterFailure.incrementAndGet();
            }
            if (failForce.test(path)) {
                failedForces.incrementAndGet();
                throw new IOException("Input/output error (injected fsync failure on " + path + ")");
            }
            if (realForces) {
                super.force(metaData);
            }
        }
    }
}
