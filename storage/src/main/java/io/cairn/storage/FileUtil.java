package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File helpers: crash-safe replace of a small file, recursive delete. Stateless, thread-safe. */
final class FileUtil {
    private static final Logger LOG = LoggerFactory.getLogger(FileUtil.class);

    private FileUtil() {
    }

    /**
     * Replaces {@code target} with {@code content} crash-safely: write {@code target.tmp}, force it,
     * rename over {@code target} atomically, force the directory. A crash leaves either the old or the
     * new file (and perhaps a stray {@code .tmp}, removed at the next start).
     */
    static void writeAtomically(FileChannelFactory channels, Path target, byte[] content) throws IOException {
        Path tmp = LogFileNames.withSuffix(target, LogFileNames.TMP_SUFFIX);
        try (FileChannel ch = channels.open(tmp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        channels.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(channels, target.toAbsolutePath().getParent());
    }

    static void syncDir(FileChannelFactory channels, Path dir) throws IOException {
        try (FileChannel ch = channels.open(dir, EnumSet.of(StandardOpenOption.READ))) {
            ch.force(true);
        }
    }

    /** Deletes {@code root} and everything below it; logs instead of throwing (cleanup of already-removed data). */
    static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
