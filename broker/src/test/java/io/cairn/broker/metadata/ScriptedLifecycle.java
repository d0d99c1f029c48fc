package io.cairn.broker.metadata;

import io.cairn.broker.config.TopicConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Directory lifecycle with injected failures: a {@link SimulatedCrash} (an Error, which the
 * registry does not catch, so state is left exactly as a process crash would leave it) or an
 * IOException (a runtime storage failure the registry must roll back).
 */
final class ScriptedLifecycle implements PartitionLifecycle {

    /** Stands for the process dying at this point. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String where) {
            super("simulated crash " + where);
        }
    }

    private final FileSystemPartitionLifecycle fs;
    private int crashAfterCreates = -1;
    private int crashAfterDeletes = -1;
    private int failCreateAt = -1;
    private int creates;
    private int deletes;
    final List<String> configChanges = new ArrayList<>();

    ScriptedLifecycle(Path dataDir) {
        this.fs = new FileSystemPartitionLifecycle(dataDir);
    }

    /** Crash right after the {@code n}-th partition creation completes (0: before the first). */
    ScriptedLifecycle crashAfterCreates(int n) {
        crashAfterCreates = n;
        creates = 0;
        return this;
    }

    /** Crash right after the {@code n}-th partition deletion completes (0: before the first). */
    ScriptedLifecycle crashAfterDeletes(int n) {
        crashAfterDeletes = n;
        deletes = 0;
        return this;
    }

    /** Fail the {@code n}-th creation from now (0-based) with an IOException. */
    ScriptedLifecycle failCreateAt(int n) {
        failCreateAt = n;
        creates = 0;
        return this;
    }

    @Override
    public void createPartition(TopicMetadata topic, TopicConfig config, int partition) throws IOException {
        if (crashAfterCreates == 0) {
            throw new SimulatedCrash("before creating " + topic.name() + "-" + partition);
        }
        if (failCreateAt >= 0 && creates == failCreateAt) {
            creates++;
            throw new IOException("No space left on device");
        }
        fs.createPartition(topic, config, partition);
        creates++;
        if (creates == crashAfterCreates) {
            throw new SimulatedCrash("after creating " + topic.name() + "-" + partition);
        }
    }

    @Override
    public void deletePartition(String topic, int partition) throws IOException {
        if (crashAfterDeletes == 0) {
            throw new SimulatedCrash("before deleting " + topic + "-" + partition);
        }
        fs.deletePartition(topic, partition);
        deletes++;
        if (deletes == crashAfterDeletes) {
            throw new SimulatedCrash("after deleting " + topic + "-" + partition);
        }
    }

    @Override
    public void configChanged(TopicMetadata topic, TopicConfig config) {
        configChanges.add(topic.name() + ":" + config.retentionMs());
    }
}
