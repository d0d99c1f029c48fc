package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash at every step of the create, delete and add-partitions protocols, then restart: the
 * registry and the directories must agree, half-done creates complete, half-done deletes finish,
 * and no data outside a requested delete is lost. Also: lost metadata store, stray directories.
 */
class TopicRegistryRecoveryTest {

    @TempDir
    Path dataDir;

    private static Set<TopicPartition> dirs(String topic, int count) {
        Set<TopicPartition> s = new HashSet<>();
        for (int p = 0; p < count; p++) {
            s.add(new TopicPartition(topic, p));
        }
        return s;
    }

    @ParameterizedTest(name = "crash after {0} of 3 partitions created")
    @ValueSource(ints = {0, 1, 2, 3})
    void aCreateInterruptedByACrashIsRolledForward(int createdBeforeCrash) throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("keep", 1, Map.of());
            // 3: every directory exists, the crash came before LIVE was written.
            int partitions = 3;
            f.lifecycle.crashAfterCreates(createdBeforeCrash);
            assertThatThrownBy(() -> f.registry.create("orders", partitions, Map.of("retention.ms", "-1")))
                    .isInstanceOf(ScriptedLifecycle.SimulatedCrash.class);
            assertThat(f.store.get(Keyspace.TOPICS, TopicRecordCodec.topicKey("orders"))).isNotNull();
            assertThat(f.registry.liveTopic("orders")).isEmpty();

            ReconcileReport report = f.restart();
            assertThat(report.rolledForward()).containsExactly("orders");
            assertThat(report.recreatedPartitions()).isEmpty();
            TopicMetadata t = f.registry.liveTopic("orders").orElseThrow();
            assertThat(t.partitionCount()).isEqualTo(partitions);
            assertThat(t.overrides().asMap()).containsEntry("retention.ms", "-1");
            Set<TopicPartition> expected = dirs("orders", partitions);
            expected.addAll(dirs("keep", 1));
            assertThat(f.disk()).isEqualTo(expected);
            assertThat(f.restart().clean()).isTrue();
        }
    }

    @ParameterizedTest(name = "crash after {0} of 3 partitions deleted")
    @ValueSource(ints = {0, 1, 2, 3})
    void aDeleteInterruptedByACrashIsFinished(int deletedBeforeCrash) throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 3, Map.of());
            f.registry.create("keep", 2, Map.of());
            Path kept = f.writeData("keep", 1, "keep me");
            f.lifecycle.crashAfterDeletes(deletedBeforeCrash);
            assertThatThrownBy(() -> f.registry.delete("orders")).isInstanceOf(ScriptedLifecycle.SimulatedCrash.class);
            assertThat(f.registry.liveTopic("orders")).as("gone for clients once marked").isEmpty();

            ReconcileReport report = f.restart();
            assertThat(report.deletesFinished()).containsExactly("orders");
            assertThat(f.registry.topic("orders")).isEmpty();
            assertThat(f.disk()).isEqualTo(dirs("keep", 2));
            assertThat(Files.readString(kept)).isEqualTo("keep me");
            assertThat(f.restart().clean()).isTrue();
            assertThat(f.registry.create("orders", 1, Map.of()).isOk()).isTrue();
        }
    }

    @ParameterizedTest(name = "crash after {0} of 3 new partitions created")
    @ValueSource(ints = {0, 1, 2, 3})
    void addPartitionsInterruptedByACrashIsRolledForward(int createdBeforeCrash) throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 2, Map.of());
            Path data = f.writeData("orders", 1, "old data");
            f.lifecycle.crashAfterCreates(createdBeforeCrash);
            assertThatThrownBy(() -> f.registry.addPartitions("orders", 5, false))
                    .isInstanceOf(ScriptedLifecycle.SimulatedCrash.class);
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount())
                    .as("readers see the new count only when complete").isEqualTo(2);

            ReconcileReport report = f.restart();
            assertThat(report.rolledForward()).containsExactly("orders");
            assertThat(report.recreatedPartitions()).isEmpty();
            TopicMetadata t = f.registry.liveTopic("orders").orElseThrow();
            assertThat(t.partitionCount()).isEqualTo(5);
            assertThat(t.partitionsPending()).isFalse();
            assertThat(f.disk()).isEqualTo(dirs("orders", 5));
            assertThat(Files.readString(data)).isEqualTo("old data");
        }
    }

    @Test
    void aLostMetadataStoreIsRebuiltFromThePartitionDirectories() throws Exception {
        Path orders2;
        Path offsets;
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.ensureInternal(InternalTopic.consumerOffsets(f.config));
            f.registry.create("orders", 4, Map.of("retention.ms", "1h"));
            f.registry.create("events", 1, Map.of());
            orders2 = f.writeData("orders", 2, "orders data");
            offsets = f.writeData("__consumer_offsets", 1, "committed offsets");
        }
        FileSystemPartitionLifecycle.deleteRecursively(dataDir.resolve("meta"));
        // Partition 3 of orders lost as well: the count comes from the highest directory (2) + 1.
        FileSystemPartitionLifecycle.deleteRecursively(dataDir.resolve("orders-3"));
        FileSystemPartitionLifecycle.deleteRecursively(dataDir.resolve("orders-1"));

        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            ReconcileReport report = f.lastReport;
            assertThat(report.rebuilt()).isTrue();
            assertThat(report.adopted()).containsExactly("__consumer_offsets", "events", "orders");
            TopicMetadata orders = f.registry.liveTopic("orders").orElseThrow();
            assertThat(orders.partitionCount()).isEqualTo(3);
            assertThat(orders.overrides().isEmpty()).as("overrides are lost with the store").isTrue();
            assertThat(f.registry.config("__consumer_offsets").orElseThrow().cleanupPolicy())
                    .as("internal topics get their required overrides back").isEqualTo(CleanupPolicy.COMPACT);
            assertThat(f.registry.liveTopic("__consumer_offsets").orElseThrow().partitionCount()).isEqualTo(3);
            assertThat(Files.readString(orders2)).isEqualTo("orders data");
            assertThat(Files.readString(offsets)).isEqualTo("committed offsets");
            Set<TopicPartition> expected = dirs("orders", 3);
            expected.addAll(dirs("events", 1));
            expected.addAll(dirs("__consumer_offsets", 3));
            assertThat(f.disk()).as("the gap at orders-1 is filled").isEqualTo(expected);
            assertThat(f.registry.ensureInternal(InternalTopic.consumerOffsets(f.config)).isOk()).isTrue();
            assertThat(f.restart().clean()).isTrue();
        }
    }

    @Test
    void aNewStoreWithoutDirectoriesIsNotARebuild() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            assertThat(f.lastReport.clean()).isTrue();
            assertThat(f.store.get(Keyspace.META, TopicRegistry.INITIALIZED_KEY)).isNotNull();
        }
    }

    @Test
    void strayDirectoriesOfAnUnknownTopicAreAdoptedNotDeleted() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 1, Map.of());
        }
        Path stray = Files.createDirectories(dataDir.resolve("copied-in-1")).resolve("00000000000000000000.log");
        Files.writeString(stray, "someone's data");
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            ReconcileReport report = f.lastReport;
            assertThat(report.rebuilt()).isFalse();
            assertThat(report.adopted()).containsExactly("copied-in");
            assertThat(f.registry.liveTopic("copied-in").orElseThrow().partitionCount()).isEqualTo(2);
            assertThat(Files.readString(stray)).isEqualTo("someone's data");
            assertThat(f.disk()).contains(new TopicPartition("copied-in", 0), new TopicPartition("copied-in", 1));
        }
    }

    @Test
    void directoriesBeyondTheCountExtendItAndMissingOnesAreRecreated() throws Exception {
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            f.registry.create("orders", 2, Map.of());
        }
        Path extra = Files.createDirectories(dataDir.resolve("orders-3")).resolve("00000000000000000000.log");
        Files.writeString(extra, "beyond");
        FileSystemPartitionLifecycle.deleteRecursively(dataDir.resolve("orders-0"));
        try (RegistryFixture f = new RegistryFixture(dataDir)) {
            ReconcileReport report = f.lastReport;
            assertThat(report.extended()).containsExactly("orders");
            assertThat(report.recreatedPartitions()).containsExactly(new TopicPartition("orders", 0));
            assertThat(f.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(4);
            assertThat(f.disk()).isEqualTo(dirs("orders", 4));
            assertThat(Files.readString(extra)).isEqualTo("beyond");
        }
    }

    @Test
    void aCrashWhileRebuildingLeavesNothingBehind() throws Exception {
        Files.createDirectories(dataDir.resolve("orders-2"));
        Files.createDirectories(dataDir.resolve("events-0"));
        // First start: crash while filling the gaps of the rebuilt "orders".
        try (MetadataStore store = MetadataStore.open(dataDir.resolve("meta"))) {
            ScriptedLifecycle crashing = new ScriptedLifecycle(dataDir).crashAfterCreates(1);
            TopicRegistry r = TopicRegistry.load(store, BrokerConfig.of(Map.of("data.dir", dataDir.toString())), crashing);
            assertThatThrownBy(() -> r.reconcile(PartitionDirScanner.scan(dataDir), java.util.List.of()))
                    .isInstanceOf(ScriptedLifecycle.SimulatedCrash.class);
        }
        try (RegistryFixture again = new RegistryFixture(dataDir)) {
            assertThat(again.registry.liveTopic("orders").orElseThrow().partitionCount()).isEqualTo(3);
            assertThat(again.registry.liveTopic("events").orElseThrow().partitionCount()).isEqualTo(1);
            Set<TopicPartition> expected = dirs("orders", 3);
            expected.addAll(dirs("events", 1));
            assertThat(again.disk()).isEqualTo(expected);
            assertThat(again.lastReport.rebuilt()).as("still the first complete start").isTrue();
        }
    }
}
