package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicConfig;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PartitionLifecycle} that only manages directories under data.dir: creates
 * {@code <topic>-<partition>}, and deletes one by renaming it to
 * {@code <topic>-<partition>.<id>-delete} (atomic, no longer a partition directory) before removing
 * its files. Both fsync data.dir so the change is durable before the registry records it. For
 * start-up reconciliation before the logs are opened, and for tests. Thread-safe (stateless).
 */
public final class FileSystemPartitionLifecycle implements PartitionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemPartitionLifecycle.class);

    /** Suffix of directories renamed for deletion; never parsed as a partition directory. */
    public static final String DELETE_SUFFIX = "-delete";

    private final Path dataDir;

    public FileSystemPartitionLifecycle(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public void createPartition(TopicMetadata topic, TopicConfig config, int partition) throws IOException {
        Path dir = dataDir.resolve(new TopicPartition(topic.name(), partition).dirName());
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        fsyncDirectory(dataDir);
    }

    @Override
    public void deletePartition(String topic, int partition) throws IOException {
        Path dir = dataDir.resolve(new TopicPartition(topic, partition).dirName());
        if (!Files.exists(dir)) {
            return;
        }
        Path doomed = dataDir.resolve(dir.getFileName() + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(dataDir);
        try {
            deleteRecursively(doomed);
        } catch (IOException e) {
            // The rename already took the partition out of the namespace; the files are only garbage now.
            LOG.warn("removing {} failed: {}; delete it by hand", doomed, e.toString());
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Makes directory entries (created, renamed, removed files) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; durability then rests on the OS.
            LOG.debug("fsync of directory {} not supported: {}", dir, e.toString());
        }
    }
}
