package io.cairn.broker.metadata;

import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

    /** Topic, then partition: the order scans and reports use. */
    public static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private PartitionDirScanner() {
    }

    /** The partition directories in {@code dataDir}, sorted by {@link #ORDER}; empty when it does not exist. */
    public static Set<TopicPartition> scan(Path dataDir) throws IOException {
        Set<TopicPartition> found = new TreeSet<>(ORDER);
        if (!Files.isDirectory(dataDir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path p : entries) {
                if (!Files.isDirectory(p)) {
                    continue;
                }
                String name = p.getFileName().toString();
                TopicPartition dir = TopicPartition.parseDirName(name);
                if (dir != null) {
                    found.add(dir);
                } else if (!name.equals("meta")) {
                    LOG.debug("skipping directory {} in data.dir {}: not a partition directory", name, dataDir);
                }
            }
        }
        return found;
    }
}
