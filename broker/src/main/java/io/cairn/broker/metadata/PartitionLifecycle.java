package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicConfig;
import java.io.IOException;

/**
 * What the {@link TopicRegistry} asks of storage when topics are created, grow, change config or
 * are deleted. The broker wires it to the log manager; {@link FileSystemPartitionLifecycle} only
 * creates and removes directories.
 *
 * <p>Contract: both methods are idempotent (creating an existing partition keeps its data;
 * deleting a missing one does nothing) and durable on return (the parent directory is fsynced),
 * because the registry records the step as done right after. Called under the registry's lock on
 * the thread of the admin request or of start-up.
 */
public interface PartitionLifecycle {

    /** Creates partition {@code partition} of {@code topic} if missing. */
    void createPartition(TopicMetadata topic, TopicConfig config, int partition) throws IOException;

    /**
     * Stops serving partition {@code partition} of {@code topic} and removes its directory (or
     * renames it out of the {@code <topic>-<partition>} namespace for asynchronous deletion).
     */
    void deletePartition(String topic, int partition) throws IOException;

    /** A topic's config overrides changed; partitions should use {@code config} from now on. */
    default void configChanged(TopicMetadata topic, TopicConfig config) {
    }
}
