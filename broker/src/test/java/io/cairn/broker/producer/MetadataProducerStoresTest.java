package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.metadata.MetadataStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataProducerStoresTest {
    @TempDir
    Path dir;

    @Test
    void snapshotsAndIdBlocksSurviveReopening() {
        ProducerStateSnapshot snapshot = new ProducerStateSnapshot(42, List.of(new ProducerStateSnapshot.Producer(7,
                (short) 1, 1000, List.of(new BatchMetadata(0, 4, 37, 41, 1000)))));
        long firstId;
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            MetadataProducerStores stores = new MetadataProducerStores(store);
            assertThat(stores.load("orders", 1)).isNull();
            stores.save("orders", 1, snapshot);
            stores.save("orders", 2, new ProducerStateSnapshot(0, List.of()));
            stores.delete("orders", 2);
            firstId = new ProducerIdManager(stores, 100).nextProducerId();
        }
        try (MetadataStore store = MetadataStore.open(dir.resolve("meta"))) {
            MetadataProducerStores stores = new MetadataProducerStores(store);
            assertThat(stores.load("orders", 1)).isEqualTo(snapshot);
            assertThat(stores.load("orders", 2)).isNull();
            assertThat(stores.load("orders-1", 0)).isNull();
            long afterRestart = new ProducerIdManager(stores, 100).nextProducerId();
            assertThat(afterRestart).isEqualTo(firstId + 100);
        }
    }
}
