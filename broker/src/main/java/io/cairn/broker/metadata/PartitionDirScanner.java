package io.cairn.broker.metadata;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the partition directories ({@code <topic>-<partition>}) in data.dir for
 * {@link TopicRegistry#reconcile}. Everything else (the {@code meta} store, checkpoint files,
 * directories being deleted) is skipped. Stateless.
 */
public final class PartitionDirScanner {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDirScanner.class);

    private PartitionDirScanner() {
    }

    /** The partition directories in {@code dataDir}; empty when it does not exist. */
    public static Set<TopicPartitionDir> scan(Path dataDir) throws IOException {
        Set<TopicPartitionDir> found = new TreeSet<>();
        if (!Files.isDirectory(dataDir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path p : entries) {
                if (!Files.isDirectory(p)) {
                    continue;
                }
                String name = p.getFileName().toString();
                Optional<TopicPartitionDir> dir = TopicPartitionDir.parse(name);
                if (dir.isPresent()) {
                    found.add(dir.get());
                } else if (!name.equals("meta")) {
                    LOG.debug("skipping directory {} in data.dir {}: not a partition directory", name, dataDir);
                }
            }
        }
        return found;
    }
}
