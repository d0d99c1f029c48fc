package io.cairn.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens every file storage reads or writes: segment logs, index files (which are then
 * memory-mapped through the returned channel), checkpoints, and directories for fsync.
 *
 * <p>The seam for fault injection: a test substitutes a factory whose channels fail
 * {@code force} with EIO, drop writes, or simulate power loss. Must be thread-safe.
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** Plain {@link FileChannel#open}. */
    FileChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
