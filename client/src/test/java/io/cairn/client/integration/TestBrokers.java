package io.cairn.client.integration;

import io.cairn.broker.BrokerExtensions;
import io.cairn.broker.partition.DataPathExtension;
import io.cairn.broker.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts the real broker for the client's acceptance tests: the standard broker, plus the data path
 * (Produce, Fetch, ListOffsets, InitProducerId) for as long as the standard extension list does not
 * include it yet.
 */
final class TestBrokers {
    private TestBrokers() {
    }

    static EmbeddedBroker start(Path dataDir) {
        if (!BrokerExtensions.standard().isEmpty()) {
            return EmbeddedBroker.start(dataDir);
        }
        return EmbeddedBroker.builder(dataDir).extensions(() -> List.of(new DataPathExtension(context ->
                new DataPathExtension.Resources(context.logManager(), context.metadataStore(), context.metrics(),
                        topic -> false)))).start();
    }
}
