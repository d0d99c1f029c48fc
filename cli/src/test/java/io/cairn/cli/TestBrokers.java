package io.cairn.cli;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.BrokerExtensions;
import io.cairn.broker.group.GroupCoordinatorExtension;
import io.cairn.broker.group.handler.FindCoordinatorHandler;
import io.cairn.broker.metadata.InternalTopic;
import io.cairn.broker.metadata.TopicMetadata;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.partition.DataPathExtension;
import io.cairn.broker.testing.EmbeddedBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the real broker for the cli tests: the standard broker, plus, for as long as
 * the standard extension list lacks them, the data path (Produce, Fetch, ListOffsets,
 * InitProducerId) and the group coordinator, wired the way the broker's own integration tests wire
 * them.
 */
public final class TestBrokers {
    private static final int OFFSETS_PARTITIONS = 4;

    private TestBrokers() {
    }

    public static EmbeddedBroker start(Path dataDir) {
        List<BrokerExtension> standard = BrokerExtensions.standard();
        boolean hasDataPath = standard.stream().anyMatch(e -> e instanceof DataPathExtension);
        boolean hasGroups = standard.stream().anyMatch(e -> e instanceof GroupCoordinatorExtension);
        if (hasDataPath && hasGroups) {
            return EmbeddedBroker.start(dataDir);
        }
        AtomicReference<EmbeddedBroker> self = new AtomicReference<>();
        EmbeddedBroker broker = EmbeddedBroker.builder(dataDir).extensions(() -> {
            List<BrokerExtension> extensions = new ArrayList<>(BrokerExtensions.standard());
            if (!hasDataPath) {
                extensions.add(new DataPathExtension(c -> new DataPathExtension.Resources(c.logManager(),
                        c.metadataStore(), c.metrics(), topic -> false)));
            }
            if (!hasGroups) {
                AtomicReference<BrokerContext> context = new AtomicReference<>();
                extensions.add(new BrokerExtension() {
                    @Override
                    public void start(BrokerContext c) {
                        context.set(c);
                        c.topics().ensureInternal(new InternalTopic(TopicNames.CONSUMER_OFFSETS, OFFSETS_PARTITIONS,
                                Map.of("cleanup.policy", "compact")));
                    }

                    @Override
                    public void close() {
                    }
                });
                extensions.add(new GroupCoordinatorExtension(c -> new GroupCoordinatorExtension.Resources(
                        c.logManager(), c.metadataStore(), c.metrics(), OFFSETS_PARTITIONS, () -> liveTopics(context.get()),
                        () -> new FindCoordinatorHandler.Endpoint(0, "127.0.0.1", self.get().port()))));
            }
            return extensions;
        }).start();
        self.set(broker);
        return broker;
    }

    private static Map<String, Integer> liveTopics(BrokerContext context) {
        Map<String, Integer> out = new HashMap<>();
        for (TopicMetadata t : context.topics().liveTopics()) {
            out.put(t.name(), t.partitionCount());
        }
        return out;
    }
}
