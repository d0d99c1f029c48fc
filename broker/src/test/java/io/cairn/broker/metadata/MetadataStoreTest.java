package io.cairn.broker.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void keyspacesAreSeparateAndValuesSurviveReopen() {
        Path meta = dir.resolve("meta");
        try (MetadataStore store = MetadataStore.open(meta)) {
            assertThat(store.createdNew()).isTrue();
            store.put(Keyspace.PRODUCER_STATE, b("k"), b("producer"), Durability.SYNC);
            store.put(Keyspace.GROUP_OFFSETS, b("k"), b("offsets"), Durability.BUFFERED);
            assertThat(store.get(Keyspace.PRODUCER_STATE, b("k"))).isEqualTo(b("producer"));
            assertThat(store.get(Keyspace.GROUP_OFFSETS, b("k"))).isEqualTo(b("offsets"));
            assertThat(store.get(Keyspace.TOPICS, b("k"))).isNull();
            store.delete(Keyspace.GROUP_OFFSETS, b("k"), Durability.SYNC);
            assertThat(store.get(Keyspace.GROUP_OFFSETS, b("k"))).isNull();
        }
        try (MetadataStore store = MetadataStore.open(meta)) {
            assertThat(store.createdNew()).isFalse();
            assertThat(store.get(Keyspace.PRODUCER_STATE, b("k"))).isEqualTo(b("producer"));
            assertThat(store.get(Keyspace.GROUP_OFFSETS, b("k"))).isNull();
        }
    }

    @Test
    void scanVisitsOnlyThePrefixInKeyOrderAndCanStop() {
        try (MetadataStore store = MetadataStore.open(dir)) {
            for (String k : List.of("g/b/2", "g/a/1", "g/a/0", "h/x", "g", "g/a/10")) {
                store.put(Keyspace.GROUP_OFFSETS, b(k), b("v-" + k), Durability.BUFFERED);
            }
            List<String> keys = new ArrayList<>();
            store.scan(Keyspace.GROUP_OFFSETS, b("g/a/"), (k, v) -> {
                keys.add(new String(k, UTF_8) + "=" + new String(v, UTF_8));
                return true;
            });
            assertThat(keys).containsExactly("g/a/0=v-g/a/0", "g/a/1=v-g/a/1", "g/a/10=v-g/a/10");

            List<String> all = new ArrayList<>();
            store.scan(Keyspace.GROUP_OFFSETS, new byte[0], (k, v) -> all.add(new String(k, UTF_8)) && all.size() < 2);
            assertThat(all).containsExactly("g", "g/a/0");
        }
    }

    @Test
    void batchesApplyAcrossKeyspacesAtomically() {
        try (MetadataStore store = MetadataStore.open(dir)) {
            store.put(Keyspace.CONFIGS, b("old"), b("x"), Durability.SYNC);
            MetadataBatch batch = new MetadataBatch()
                    .put(Keyspace.TOPICS, b("t"), b("1"))
                    .put(Keyspace.CONFIGS, b("t"), b("2"))
                    .delete(Keyspace.CONFIGS, b("old"));
            assertThat(store.get(Keyspace.TOPICS, b("t"))).isNull();
            store.write(batch, Durability.SYNC);
            assertThat(store.get(Keyspace.TOPICS, b("t"))).isEqualTo(b("1"));
            assertThat(store.get(Keyspace.CONFIGS, b("t"))).isEqualTo(b("2"));
            assertThat(store.get(Keyspace.CONFIGS, b("old"))).isNull();
        }
    }

    @Test
    void batchCopiesItsInputs() {
        try (MetadataStore store = MetadataStore.open(dir)) {
            byte[] value = b("before");
            MetadataBatch batch = new MetadataBatch().put(Keyspace.TOPICS, b("t"), value);
            value[0] = 'X';
            store.write(batch, Durability.SYNC);
            assertThat(store.get(Keyspace.TOPICS, b("t"))).isEqualTo(b("before"));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedAsLocked() {
        try (MetadataStore store = MetadataStore.open(dir)) {
            assertThatThrownBy(() -> MetadataStore.open(dir))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("metadata store " + dir.toAbsolutePath() + " is locked")
                    .hasMessageContaining("another Cairn broker");
            assertThat(store.get(Keyspace.META, MetadataStore.FORMAT_VERSION_KEY)).hasSize(4);
        }
    }

    @Test
    void aCorruptStoreIsReportedWithTheWayOut() throws Exception {
        MetadataStore.open(dir).close();
        Files.writeString(dir.resolve("CURRENT"), "garbage without newline");
        assertThatThrownBy(() -> MetadataStore.open(dir))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("metadata store " + dir.toAbsolutePath())
                .hasMessageContaining("move " + dir.toAbsolutePath() + " aside");
    }

    @Test
    void aStoreFromANewerCairnIsRefused() {
        try (MetadataStore store = MetadataStore.open(dir)) {
            store.put(Keyspace.META, MetadataStore.FORMAT_VERSION_KEY, ByteBuffer.allocate(4).putInt(99).array(), Durability.SYNC);
        }
        assertThatThrownBy(() -> MetadataStore.open(dir))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("format version 99, written by a newer Cairn; this broker reads up to version 1");
        // The refused open released the lock: the directory can be opened again once fixed.
        assertThatThrownBy(() -> MetadataStore.open(dir)).hasMessageContaining("format version 99");
    }

    @Test
    void anUnreadableDirectoryIsAClearError() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> MetadataStore.open(file))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void useAfterCloseThrowsInsteadOfCrashing() {
        MetadataStore store = MetadataStore.open(dir);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(Keyspace.TOPICS, b("t")))
                .isInstanceOf(MetadataStoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.scan(Keyspace.TOPICS, b(""), (k, v) -> true))
                .isInstanceOf(MetadataStoreException.class).hasMessageContaining("is closed");
    }

    @Test
    void printableShowsTextAndEscapesBytes() {
        assertThat(MetadataStore.printable(new byte[] {'t', '/', 0, (byte) 0xff})).isEqualTo("t/\\x00\\xff");
    }
}
