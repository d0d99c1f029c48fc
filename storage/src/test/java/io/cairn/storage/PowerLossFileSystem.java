package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A {@link FileChannelFactory} that simulates a power loss under one directory tree.
 *
 * <p>Model (what a journaling file system on a disk with a volatile write cache promises):
 * <ul>
 *   <li>A file's bytes and size are durable as of its last completed {@code force} (through any
 *       channel of that file). Channel writes and truncations after it are recorded in order; at
 *       the power loss each file independently keeps none of them, or an ordered prefix of them
 *       whose last write may be torn at a 512 B or 4 KiB boundary of the file.</li>
 *   <li>Bytes written through a memory mapping are invisible to the channel: for a mapped file
 *       (an index) anything after its last {@code force} may be lost page by page (4 KiB pages of
 *       the durable or the current content, mixed at random; beyond the durable size a lost page
 *       reads as zeros), and its size may be the durable or the current one.</li>
 *   <li>A directory's entries (files created, renamed or deleted in it, subdirectories) are
 *       durable as of its last {@code force}; a file whose entry is not durable vanishes, a deleted
 *       one whose entry is durable comes back with its durable content, a renamed one goes back to
 *       its durable name. A file whose entry is durable but that was never forced comes back empty.</li>
 * </ul>
 * Files are identified by their inode ({@link BasicFileAttributes#fileKey()}), so renames keep
 * their durable content.
 *
 * <p>{@link #powerOffAfter} arms a countdown of file operations (opens, writes, truncations,
 * forces, maps, renames, deletes); when it runs out, that operation and every later one throws an IOException, as if
 * the machine had stopped. {@link #crash} then rewrites the tree to what the disk would hold
 * afterwards. Thread-safe (one monitor); deterministic for a deterministic caller.
 */
final class PowerLossFileSystem implements FileChannelFactory {
    /** One recorded change to a file since its last force. */
    private record Op(long position, byte[] bytes, long truncateTo) {
        static Op write(long position, byte[] bytes) {
            return new Op(position, bytes, -1);
        }

        static Op truncate(long size) {
            return new Op(-1, null, size);
        }
    }

    /** What the model knows about one inode. */
    private static final class Inode {
        byte[] durable = new byte[0];
        final List<Op> pending = new ArrayList<>();
        boolean mapped;
    }

    /**
     * Real files whose {@code force} does nothing: for reopening a tree after {@link #crash}, where
     * durability is no longer under test. (The model itself never calls the real fsync either: it
     * only records what a completed force would have made durable, which keeps a run cheap.)
     */
    static final FileChannelFactory REAL_WITHOUT_FSYNC = (path, options) ->
        new ForwardingFileChannel(FileChannel.open(path, options), path) {
            @Override
            public void force(boolean metaData) {
                // not under test
            }
        };

    private final Path root;
    /** The model's inode for each live file key; a new file replaces a reused key's entry. */
    private final Map<Object, Inode> inodes = new HashMap<>();
    /** Durable entries (name -> inode, or {@link #DIRECTORY}) of each directory forced at least once. */
    private final Map<Path, Map<String, Object>> durableDirs = new HashMap<>();
    private static final Object DIRECTORY = new Object();
    private final List<FileChannel> opened = new ArrayList<>();
    private long countdown = Long.MAX_VALUE;
    private boolean powerOff;
    private long operations;
    private long forces;

    /** {@code root} must exist and be empty: it is the tree whose durability is modelled. */
    PowerLossFileSystem(Path root) {
        this.root = root.toAbsolutePath().normalize();
        durableDirs.put(this.root, new LinkedHashMap<>());
    }

    /** The power goes at the {@code n}-th channel operation from now (1 = the next one). */
    synchronized void powerOffAfter(long n) {
        countdown = n;
    }

    synchronized void powerOffNow() {
        powerOff = true;
    }

    synchronized boolean isPowerOff() {
        return powerOff;
    }

    synchronized long operations() {
        return operations;
    }

    synchronized long forces() {
        return forces;
    }

    private synchronized void tick(String what, Path path) throws IOException {
        if (!powerOff && --countdown <= 0) {
            powerOff = true;
        }
        if (powerOff) {
            throw new IOException("power lost (" + what + " " + path + ")");
        }
        operations++;
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        tick("open", abs);
        if (Files.isDirectory(abs)) {
            FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ);
            synchronized (this) {
                opened.add(ch);
            }
            return new DirChannel(ch, abs);
        }
        Set<OpenOption> withRead = new HashSet<>(options);
        withRead.add(StandardOpenOption.READ);
        boolean existed = Files.exists(abs);
        boolean truncating = withRead.contains(StandardOpenOption.TRUNCATE_EXISTING) && existed;
        FileChannel ch = FileChannel.open(abs, withRead);
        Object key = Files.readAttributes(abs, BasicFileAttributes.class).fileKey();
        synchronized (this) {
            opened.add(ch);
            if (!existed) {
                // A new file: the kernel may have reused the number of a deleted one.
                inodes.put(key, new Inode());
            }
            Inode inode = inodes.computeIfAbsent(key, k -> new Inode());
            if (truncating) {
                inode.pending.add(Op.truncate(0));
            }
            return new TrackedChannel(ch, abs, inode);
        }
    }

    /** A rename; fails once the power is off (its durability is the directory's, modelled at its force). */
    @Override
    public void move(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
        tick("move", source);
        Files.move(source, target, options);
    }

    /** A delete; fails once the power is off. */
    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        tick("delete", path);
        return Files.deleteIfExists(path);
    }

    /** Channel of a regular file: records writes and truncations, snapshots the file on force. */
    private final class TrackedChannel extends ForwardingFileChannel {
        private final Inode inode;

        TrackedChannel(FileChannel delegate, Path path, Inode inode) {
            super(delegate, path);
            this.inode = inode;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, delegate.position());
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerLossFileSystem.this) {
                tick("write", path);
                ByteBuffer copy = src.duplicate();
                int n = delegate.write(src, position);
                byte[] bytes = new byte[n];
                copy.get(bytes);
                inode.pending.add(Op.write(position, bytes));
                if (delegate.position() < position + n) {
                    delegate.position(position + n);
                }
                return n;
            }
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            synchronized (PowerLossFileSystem.this) {
                tick("truncate", path);
                delegate.truncate(size);
                inode.pending.add(Op.truncate(size));
                return this;
            }
        }

        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (PowerLossFileSystem.this) {
                tick("force", path);
                long size = delegate.size();
                ByteBuffer all = ByteBuffer.allocate((int) size);
                while (all.hasRemaining() && delegate.read(all, all.position()) >= 0) {
                    // read until full
                }
                inode.durable = all.array();
                inode.pending.clear();
                forces++;
            }
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            synchronized (PowerLossFileSystem.this) {
                tick("map", path);
                if (mode == MapMode.READ_WRITE) {
                    inode.mapped = true;
                }
            }
            return delegate.map(mode, position, size);
        }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target)
            throws IOException {
            checkPower();
            return delegate.transferTo(position, count, target);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            checkPower();
            return delegate.read(dst, position);
        }

        private void checkPower() throws IOException {
            synchronized (PowerLossFileSystem.this) {
                if (powerOff) {
                    throw new IOException("power lost (read " + path + ")");
                }
            }
        }
    }

    /** Channel of a directory: its force makes the directory's current entries durable. */
    private final class DirChannel extends ForwardingFileChannel {
        DirChannel(FileChannel delegate, Path path) {
            super(delegate, path);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (PowerLossFileSystem.this) {
                tick("fsync dir", path);
                Map<String, Object> entries = new LinkedHashMap<>();
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                    for (Path p : stream) {
                        Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                        entries.put(p.getFileName().toString(), Files.isDirectory(p) ? DIRECTORY
                            : inodes.computeIfAbsent(key, k -> new Inode()));
                    }
                }
                durableDirs.put(path, entries);
                forces++;
            }
        }
    }

    /**
     * Counts of what the last {@link #crash} did: files whose content was all durable, files that
     * vanished (entry not durable), files keeping part of their unforced changes, files reverted to
     * their last force.
     */
    record CrashReport(int filesKept, int filesVanished, int filesTorn, int filesReverted) {
    }

    /**
     * Rewrites the tree to what the disk holds after the power loss: closes every channel this
     * factory opened, then rebuilds each durable directory with each file's surviving content.
     * Call after every user of the files has stopped. {@code random} decides what survives.
     */
    synchronized CrashReport crash(Random random) throws IOException {
        powerOff = true;
        for (FileChannel ch : opened) {
            ch.close();
        }
        opened.clear();
        // Current bytes of every file still reachable, for the parts of pending writes that reached the disk.
        Map<Inode, byte[]> current = new HashMap<>();
        collect(root, current);
        int[] counts = new int[4];
        Map<Path, byte[]> files = new LinkedHashMap<>();
        List<Path> dirs = new ArrayList<>();
        rebuild(root, current, random, files, dirs, counts);
        counts[1] = current.size();
        FileUtil.deleteRecursively(root);
        Files.createDirectories(root);
        for (Path d : dirs) {
            Files.createDirectories(d);
        }
        for (Map.Entry<Path, byte[]> e : files.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
        return new CrashReport(counts[0], counts[1], counts[2], counts[3]);
    }

    private void collect(Path dir, Map<Inode, byte[]> current) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                if (Files.isDirectory(p)) {
                    collect(p, current);
                } else {
                    Inode inode = inodes.get(Files.readAttributes(p, BasicFileAttributes.class).fileKey());
                    if (inode != null) {
                        current.put(inode, Files.readAllBytes(p));
                    }
                }
            }
        }
    }

    /** Lays out {@code dir} as its durable entries say; removes each placed file from {@code current}. */
    private void rebuild(Path dir, Map<Inode, byte[]> current, Random random, Map<Path, byte[]> files,
                         List<Path> dirs, int[] counts) {
        Map<String, Object> durable = durableDirs.getOrDefault(dir, Map.of());
        for (Map.Entry<String, Object> e : durable.entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (e.getValue() == DIRECTORY) {
                dirs.add(p);
                rebuild(p, current, random, files, dirs, counts);
                continue;
            }
            Inode inode = (Inode) e.getValue();
            files.put(p, survivingContent(inode, current.remove(inode), random, counts));
        }
    }

    private static byte[] survivingContent(Inode inode, byte[] now, Random random, int[] counts) {
        byte[] base = inode.durable;
        if (inode.mapped) {
            if (now == null || random.nextBoolean()) {
                counts[3]++;
                return base.clone();
            }
            counts[2]++;
            return mixPages(base, now, random);
        }
        if (inode.pending.isEmpty()) {
            counts[0]++;
            return base.clone();
        }
        if (random.nextBoolean()) {
            counts[3]++;
            return base.clone();
        }
        counts[2]++;
        return replayPrefix(base, inode.pending, random);
    }

    /** Each 4 KiB page from the durable or the current content; the size of either. */
    private static byte[] mixPages(byte[] base, byte[] now, Random random) {
        int size = random.nextBoolean() ? base.length : now.length;
        byte[] out = new byte[size];
        for (int page = 0; page < size; page += 4096) {
            int end = Math.min(size, page + 4096);
            byte[] from = random.nextBoolean() ? now : base;
            for (int i = page; i < end; i++) {
                out[i] = i < from.length ? from[i] : 0;
            }
        }
        return out;
    }

    /** Applies an ordered prefix of the pending changes; the next write, if any, may be torn at a sector boundary. */
    private static byte[] replayPrefix(byte[] base, List<Op> pending, Random random) {
        int keep = random.nextInt(pending.size() + 1);
        byte[] out = base.clone();
        for (int i = 0; i < keep; i++) {
            out = apply(out, pending.get(i), Integer.MAX_VALUE);
        }
        if (keep < pending.size() && pending.get(keep).bytes() != null) {
            Op torn = pending.get(keep);
            int sector = random.nextBoolean() ? 512 : 4096;
            long first = (torn.position() / sector + 1) * sector;
            long last = (torn.position() + torn.bytes().length - 1) / sector * sector;
            if (first <= last) {
                long cut = first + (long) sector * random.nextInt((int) ((last - first) / sector) + 1);
                out = apply(out, torn, (int) (cut - torn.position()));
            }
        }
        return out;
    }

    private static byte[] apply(byte[] content, Op op, int maxBytes) {
        if (op.bytes() == null) {
            return Arrays.copyOf(content, (int) Math.min(content.length, op.truncateTo()));
        }
        int n = Math.min(op.bytes().length, maxBytes);
        int end = (int) op.position() + n;
        byte[] out = end > content.length ? Arrays.copyOf(content, end) : content;
        System.arraycopy(op.bytes(), 0, out, (int) op.position(), n);
        return out;
    }
}
