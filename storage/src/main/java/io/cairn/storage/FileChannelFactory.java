package io.cairn.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Every file operation storage performs on segment, index and checkpoint files: opening them
 * (index files are then memory-mapped through the returned channel; directories are opened for
 * fsync), renaming them and deleting them.
 *
 * <p>The seam for fault injection: a test substitutes a factory whose channels fail {@code force}
 * with EIO, run out of space, drop writes or simulate power loss, and whose {@link #move} and
 * {@link #deleteIfExists} can fail or "crash" at a chosen step. Only {@link #open} must be
 * implemented; the file operations default to {@link Files}. Not routed through it: creating
 * directories, the {@code .clean-shutdown} marker, and the recursive removal of a deleted
 * partition's directory. Must be thread-safe.
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** Plain {@link FileChannel#open} and {@link Files}. */
    FileChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;

    /** Renames {@code source} to {@code target} ({@link Files#move}). */
    default void move(Path source, Path target, CopyOption... options) throws IOException {
        Files.move(source, target, options);
    }

    /** Deletes {@code path} if it exists ({@link Files#deleteIfExists}); true if it did. */
    default boolean deleteIfExists(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }
}
