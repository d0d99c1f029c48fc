package io.cairn.client.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRebalanceListener;
import io.cairn.client.consumer.OffsetAndMetadata;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups against a real in-process broker and its group coordinator. */
class ConsumerGroupAcceptanceTest {
    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;
    private final List<CairnConsumer<String, String>> consumers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(dataDir);
        try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build()) {
            admin.createTopics(List.of(NewTopic.of("events", 4))).get(30, TimeUnit.SECONDS);
        }
        // The coordinator takes its topic image at start; until topic admin tells it about new topics
        // (GroupCoordinatorExtension.topicsChanged), a restart makes it see the topic.
        broker.restart();
    }

    @AfterEach
    void stop() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        broker.close();
    }

    private void produce(int from, int count) {
        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = from; i < from + count; i++) {
                p.send(new ProducerRecord<>("events", "k" + i, "v" + i));
            }
            p.flush();
        }
    }

    private CairnConsumer<String, String> consumer(String group, Map<String, Object> extra) {
        CairnConsumer<String, String> c = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .config("group.id", group).config(extra).autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .fetchMaxWaitMs(100).build();
        consumers.add(c);
        return c;
    }

    @Test
    void membersShareThePartitionsAndTogetherReadEverything() {
        produce(0, 1000);
        List<String> events = new CopyOnWriteArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions.size());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions.size());
            }
        };
        CairnConsumer<String, String> a = consumer("g", Map.of("enable.auto.commit", false));
        CairnConsumer<String, String> b = consumer("g", Map.of("enable.auto.commit", false));
        a.subscribe(List.of("events"), listener);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        await("a owns everything").atMost(Duration.ofSeconds(30)).until(() -> {
            a.poll(Duration.ofMillis(100)).forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            return a.assignment().size() == 4;
        });
        a.commitSync();
        b.subscribe(List.of("events"));
        await("the partitions are split").atMost(Duration.ofSeconds(30)).until(() -> {
            a.poll(Duration.ofMillis(50)).forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            b.poll(Duration.ofMillis(50)).forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            return !a.assignment().isEmpty() && !b.assignment().isEmpty()
                    && a.assignment().size() + b.assignment().size() == 4;
        });
        Set<TopicPartition> overlap = new HashSet<>(a.assignment());
        overlap.retainAll(b.assignment());
        assertThat(overlap).as("no partition owned twice").isEmpty();
        produce(1000, 200);
        await("everything read").atMost(Duration.ofSeconds(30)).until(() -> {
            a.poll(Duration.ofMillis(50)).forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            b.poll(Duration.ofMillis(50)).forEach(r -> seen.merge(r.value(), 1, Integer::sum));
            return seen.size() == 1200;
        });
        assertThat(events).contains("assigned 4").anyMatch(e -> e.startsWith("revoked"));
    }

    @Test
    void patternSubscriptionAndStaticMembership() {
        produce(0, 50);
        CairnConsumer<String, String> c = consumer("pattern", Map.of("group.instance.id", "instance-1"));
        c.subscribe(java.util.regex.Pattern.compile("ev.*"), ConsumerRebalanceListener.noop());
        List<String> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            c.poll(Duration.ofMillis(100)).forEach(r -> read.add(r.value()));
            return read.size() == 50;
        });
        assertThat(c.assignment()).hasSize(4).allMatch(tp -> tp.topic().equals("events"));
        assertThat(c.groupMemberId()).isNotEmpty();
    }

    @Test
    void committedOffsetsSurviveARestartOfConsumerAndBroker() throws Exception {
        produce(0, 100);
        CairnConsumer<String, String> first = consumer("resume", Map.of());
        first.subscribe(List.of("events"));
        List<String> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            first.poll(Duration.ofMillis(100)).forEach(r -> read.add(r.value()));
            return read.size() == 100;
        });
        first.close(Duration.ofSeconds(10));
        consumers.remove(first);
        broker.restart();
        produce(100, 20);
        CairnConsumer<String, String> second = consumer("resume", Map.of());
        second.subscribe(List.of("events"));
        List<String> rest = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            second.poll(Duration.ofMillis(100)).forEach(r -> rest.add(r.value()));
            return rest.size() >= 20;
        });
        assertThat(rest).hasSize(20).allMatch(v -> Integer.parseInt(v.substring(1)) >= 100);
        Map<TopicPartition, OffsetAndMetadata> committed = second.committed(Set.of(new TopicPartition("events", 0)));
        assertThat(committed.get(new TopicPartition("events", 0))).isNotNull();
    }
}
