package io.cairn.storage;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A memory-mapped file of fixed-size entries sorted by a key, shared base of {@link OffsetIndex}
 * and {@link TimeIndex}.
 *
 * <p>The file is preallocated (sparse) to {@code segment.index.bytes} while its segment is active
 * and trimmed to exactly {@code entries * entrySize} when the segment is sealed or closed, so the
 * entry count of a trimmed index is its file size divided by the entry size. There is no checksum:
 * an index is derived data, sanity-checked on open and rebuilt from the log when in doubt.
 *
 * <p>Threading: one writer (the log's writer, under the log's lock) appends, truncates and resizes;
 * any number of readers look up concurrently without locking. The writer stores an entry with
 * absolute puts and then publishes it by a volatile write of {@code entries}; readers read
 * {@code entries} first. A resize publishes a new mapping through the volatile {@code mmap} field;
 * a reader still using the previous mapping only touches entries below the count it read, which
 * stay inside the file. A live index never unmaps explicitly (a reader might still use a
 * mapping); the mappings a resize replaced are remembered weakly (the collector may still release
 * them first), so that {@link #unmap()} — called once the index is removed and no reader can use
 * any of them — releases those still mapped together with the current one instead of leaving them
 * to some later garbage collection.
 */
abstract class AbstractIndex {
    protected volatile Path file;
    protected final long baseOffset;
    protected final FileChannelFactory channels;
    private final int entrySize;
    private volatile MappedByteBuffer mmap;
    /** Mappings replaced by {@link #resize}; writer only, released by {@link #unmap()}. */
    private final List<WeakReference<MappedByteBuffer>> replaced = new ArrayList<>(1);
    private volatile int entries;
    private int maxEntries;
    private volatile boolean dirty;

    /**
     * Opens or creates the index file and maps {@code maxIndexBytes} (rounded down to whole
     * entries) of it. An existing file's entries are taken to be its whole size: callers sanity-check
     * ({@link #sanityCheck}) or rebuild.
     */
    protected AbstractIndex(Path file, long baseOffset, int maxIndexBytes, int entrySize, FileChannelFactory channels)
        throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.channels = channels;
        try (FileChannel ch = channels.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))) {
            long existing = ch.size();
            int existingEntries = (int) (existing / entrySize);
            int length = Math.max(roundDown(maxIndexBytes), existingEntries * entrySize);
            setLength(ch, existing, length);
            this.mmap = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.maxEntries = length / entrySize;
            this.entries = existingEntries;
        }
    }

    private int roundDown(int bytes) {
        return bytes / entrySize * entrySize;
    }

    private static void setLength(FileChannel ch, long current, long length) throws IOException {
        if (length < current) {
            ch.truncate(length);
        } else if (length > current) {
            // Writing the last byte extends the file sparsely; the kernel zero-fills the hole.
            ch.write(ByteBuffer.allocate(1), length - 1);
        }
    }

    /** Entry count; a volatile read readers start with. */
    final int entries() {
        return entries;
    }

    final int maxEntries() {
        return maxEntries;
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    final long baseOffset() {
        return baseOffset;
    }

    final Path file() {
        return file;
    }

    /** Current mapping for readers; only entries below a previously read {@link #entries()} are valid. */
    protected final ByteBuffer buffer() {
        return mmap;
    }

    /** Writer only: makes {@code count} entries visible; the entry bytes must already be stored. */
    protected final void publishEntries(int count) {
        dirty = true;
        entries = count;
    }

    protected final int entrySize() {
        return entrySize;
    }

    /** Size in bytes of the valid entries. */
    final int sizeInBytes() {
        return entries * entrySize;
    }

    /** Writer only: drops every entry from {@code count} on. */
    final void truncateToEntries(int count) {
        if (count < entries) {
            entries = Math.max(0, count);
        }
    }

    /** Writer only: removes all entries. */
    final void reset() {
        entries = 0;
    }

    /**
     * Writer only: resizes the file (and mapping) to {@code maxIndexBytes} rounded down to whole
     * entries, never below the valid entries. Used to trim on seal and to re-expand a reopened
     * active segment's index.
     */
    final void resize(int maxIndexBytes) throws IOException {
        int length = Math.max(roundDown(maxIndexBytes), entries * entrySize);
        if (length == mmap.capacity()) {
            return;
        }
        try (FileChannel ch = channels.open(file, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            setLength(ch, ch.size(), length);
            MappedByteBuffer previous = mmap;
            mmap = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
            replaced.add(new WeakReference<>(previous));
            maxEntries = length / entrySize;
        }
    }

    /** Writer only: shrinks the file to the valid entries. */
    final void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    /** Writer only: renames the file; the mapping stays valid. */
    final void renameTo(Path target) throws IOException {
        channels.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        file = target;
    }

    /** Releases the mappings of a removed index, current and replaced (no reader may use this index afterwards). */
    final void unmap() {
        MappedBuffers.unmap(mmap);
        for (WeakReference<MappedByteBuffer> old : replaced) {
            MappedBuffers.unmap(old.get());
        }
        replaced.clear();
    }

    /**
     * Forces the mapped pages and the file (its size changes when trimmed) to disk if anything
     * changed since the last flush. {@code msync} alone does not cover the size; the fsync goes
     * through the {@link FileChannelFactory} like every other force, so fault injection sees it.
     */
    final void flush() throws IOException {
        if (dirty) {
            dirty = false;
            mmap.force();
            try (FileChannel ch = channels.open(file, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
                ch.force(true);
            }
        }
    }

    /** Writer only: the next {@link #flush} forces the file even if no entry changed (e.g. after a trim). */
    final void markDirty() {
        dirty = true;
    }

    /**
     * Structural check of an index that was not rebuilt; returns a reason string if the index must
     * not be trusted, or null. Cheap: looks at the first and last entries only.
     */
    abstract String sanityCheck(long logSizeBytes);

    /**
     * Binary search for the last entry {@code i} in {@code [0, n)} whose key is {@code <= target}
     * (or {@code < target} if {@code strict}); returns -1 if none. Searches the warm tail first:
     * appends and most lookups touch the newest entries, so their pages stay resident.
     */
    protected final int floorSlot(ByteBuffer buf, int n, long target, boolean strict) {
        if (n == 0 || !keyBelow(key(buf, 0), target, strict)) {
            return -1;
        }
        int warmEntries = Math.max(1, 8192 / entrySize);
        int warmStart = Math.max(0, n - warmEntries);
        if (keyBelow(key(buf, warmStart), target, strict)) {
            return search(buf, warmStart, n - 1, target, strict);
        }
        return search(buf, 0, warmStart - 1, target, strict);
    }

    private int search(ByteBuffer buf, int lo, int hi, long target, boolean strict) {
        // Invariant: key(lo) qualifies.
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keyBelow(key(buf, mid), target, strict)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static boolean keyBelow(long key, long target, boolean strict) {
        return strict ? key < target : key <= target;
    }

    /** The search key of slot {@code slot}. */
    protected abstract long key(ByteBuffer buf, int slot);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(file=" + file + ", entries=" + entries + "/" + maxEntries + ")";
    }
}
