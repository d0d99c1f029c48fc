package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import io.cairn.client.testing.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer's group membership against {@link FakeBroker}'s simple coordinator: joining,
 * revoke-before-reassign between two members, commits, resuming from committed offsets, and losing
 * partitions after exceeding {@code max.poll.interval.ms}.
 */
class ConsumerGroupFakeBrokerTest {
    private final FakeBroker broker = new FakeBroker(Map.of("t", 4));
    private final List<CairnConsumer<String, String>> consumers = new ArrayList<>();

    @AfterEach
    void stop() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        broker.close();
    }

    private void produce(int count) {
        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = 0; i < count; i++) {
                p.send(new ProducerRecord<>("t", "k" + i, "v" + i));
            }
            p.flush();
        }
    }

    private CairnConsumer.Builder<String, String> builder(String group) {
        return CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .config("group.id", group).autoOffsetReset(OffsetResetStrategy.EARLIEST).fetchMaxWaitMs(50)
                .retryBackoffMs(20);
    }

    private CairnConsumer<String, String> consumer(CairnConsumer.Builder<String, String> b) {
        CairnConsumer<String, String> c = b.build();
        consumers.add(c);
        return c;
    }

    /** Records the listener's calls. */
    private static final class Recorder implements ConsumerRebalanceListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            events.add("revoked " + new java.util.TreeSet<>(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            events.add("assigned " + new java.util.TreeSet<>(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            events.add("lost " + new java.util.TreeSet<>(partitions));
        }
    }

    @Test
    void twoMembersSplitThePartitionsAndReadEverythingOnce() {
        produce(400);
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        CairnConsumer<String, String> c1 = consumer(builder("g1").config("enable.auto.commit", false));
        CairnConsumer<String, String> c2 = consumer(builder("g1").config("enable.auto.commit", false));
        c1.subscribe(List.of("t"), r1);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        // Owning all four is not enough: the poll that brings the assignment may return before any fetch
        // is answered (on a loaded machine it does), and what c1 reads after its commit a new owner reads again.
        await("first member owns all four partitions and has read everything").atMost(Duration.ofSeconds(60)).until(() -> {
            c1.poll(Duration.ofMillis(50)).forEach(rec -> seen.merge(rec.value(), 1, Integer::sum));
            return c1.assignment().size() == 4 && seen.size() == 400;
        });
        c1.commitSync();
        c2.subscribe(List.of("t"), r2);
        await("partitions split 2/2").atMost(Duration.ofSeconds(60)).until(() -> {
            c1.poll(Duration.ofMillis(20)).forEach(rec -> seen.merge(rec.value(), 1, Integer::sum));
            c2.poll(Duration.ofMillis(20)).forEach(rec -> seen.merge(rec.value(), 1, Integer::sum));
            return c1.assignment().size() == 2 && c2.assignment().size() == 2;
        });
        Set<TopicPartition> union = new HashSet<>(c1.assignment());
        union.addAll(c2.assignment());
        assertThat(union).hasSize(4);
        assertThat(r1.events.get(0)).isEqualTo("assigned [t-0, t-1, t-2, t-3]");
        assertThat(r1.events).anyMatch(e -> e.startsWith("revoked"));
        assertThat(r2.events).containsExactly("assigned " + new java.util.TreeSet<>(c2.assignment()));
        // Until each owner has read its partitions to the end: a re-read by c2 would be counted by then.
        await("each member read its partitions to the end").atMost(Duration.ofSeconds(60)).until(() -> {
            c1.poll(Duration.ofMillis(20)).forEach(rec -> seen.merge(rec.value(), 1, Integer::sum));
            c2.poll(Duration.ofMillis(20)).forEach(rec -> seen.merge(rec.value(), 1, Integer::sum));
            return readToTheEnd(c1) && readToTheEnd(c2);
        });
        assertThat(seen).hasSize(400);
        assertThat(seen.values()).as("c1 committed before the split, so nothing is read twice").allMatch(n -> n == 1);
    }

    private boolean readToTheEnd(CairnConsumer<String, String> consumer) {
        for (TopicPartition tp : consumer.assignment()) {
            if (consumer.position(tp) < broker.endOffset(tp)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void autoCommitCommitsWhatPollReturnedAndARestartResumesThere() {
        produce(100);
        CairnConsumer<String, String> c1 = consumer(builder("g2").config("auto.commit.interval.ms", 50));
        c1.subscribe(List.of("t"));
        List<String> first = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            c1.poll(Duration.ofMillis(50)).forEach(rec -> first.add(rec.value()));
            return first.size() == 100;
        });
        c1.close(Duration.ofSeconds(10)); // commits the positions of everything returned, then leaves
        long committed = 0;
        for (int p = 0; p < 4; p++) {
            committed += broker.committed("g2", new TopicPartition("t", p));
        }
        assertThat(committed).as("sum of committed positions = records returned").isEqualTo(100);
        produce(10);
        CairnConsumer<String, String> c2 = consumer(builder("g2"));
        c2.subscribe(List.of("t"));
        List<String> second = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            c2.poll(Duration.ofMillis(50)).forEach(rec -> second.add(rec.value()));
            return second.size() >= 10;
        });
        assertThat(second).hasSize(10).allMatch(v -> Integer.parseInt(v.substring(1)) < 10);
        Map<TopicPartition, OffsetAndMetadata> c = c2.committed(Set.of(new TopicPartition("t", 0)), Duration.ofSeconds(5));
        assertThat(c.get(new TopicPartition("t", 0))).isNotNull();
    }

    @Test
    void commitSyncOfExplicitOffsetsAndCommittedReadBack() {
        CairnConsumer<String, String> c = consumer(builder("g3").config("enable.auto.commit", false));
        TopicPartition tp = new TopicPartition("t", 2);
        c.assign(List.of(tp));
        c.commitSync(Map.of(tp, new OffsetAndMetadata(42, "meta")), Duration.ofSeconds(10));
        assertThat(c.committed(Set.of(tp, new TopicPartition("t", 3)), Duration.ofSeconds(10)))
                .containsEntry(tp, new OffsetAndMetadata(42, null))
                .containsEntry(new TopicPartition("t", 3), null);
        assertThat(broker.committed("g3", tp)).isEqualTo(42);
    }

    @Test
    void aMemberThatStopsPollingLosesItsPartitionsAndRejoins() {
        Recorder r1 = new Recorder();
        CairnConsumer<String, String> slow = consumer(builder("g4").config("max.poll.interval.ms", 1000));
        CairnConsumer<String, String> other = consumer(builder("g4"));
        slow.subscribe(List.of("t"), r1);
        other.subscribe(List.of("t"));
        await("split").atMost(Duration.ofSeconds(60)).until(() -> {
            slow.poll(Duration.ofMillis(20));
            other.poll(Duration.ofMillis(20));
            return slow.assignment().size() == 2 && other.assignment().size() == 2;
        });
        // slow stops polling: after max.poll.interval.ms it leaves and other takes everything
        await("other takes all partitions").atMost(Duration.ofSeconds(60)).until(() -> {
            other.poll(Duration.ofMillis(50));
            return other.assignment().size() == 4;
        });
        await("slow rejoins and gets its share back").atMost(Duration.ofSeconds(60)).until(() -> {
            slow.poll(Duration.ofMillis(20));
            other.poll(Duration.ofMillis(20));
            return slow.assignment().size() == 2;
        });
        assertThat(r1.events).anyMatch(e -> e.startsWith("lost"));
    }

    @Test
    void closeIsBoundedByItsTimeoutWhenTheBrokerIsGone() {
        produce(20);
        CairnConsumer<String, String> c = builder("g7").build();
        c.subscribe(List.of("t"));
        List<String> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            c.poll(Duration.ofMillis(50)).forEach(r -> read.add(r.value()));
            return read.size() == 20;
        });
        broker.close();
        long start = System.nanoTime();
        c.close(Duration.ofMillis(1500)); // commit and leave cannot succeed; close must not wait longer
        long tookMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMs).isLessThan(6_000);
    }

    @Test
    void groupOperationsNeedAGroupId() {
        CairnConsumer<String, String> c = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer()).build();
        consumers.add(c);
        assertThatThrownBy(() -> c.subscribe(List.of("t"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("group.id");
        assertThatThrownBy(c::commitSync).isInstanceOf(IllegalStateException.class).hasMessageContaining("group.id");
    }

    @Test
    void aBrokerWithoutGroupsIsReportedByPoll() {
        broker.groupsServed(false);
        CairnConsumer<String, String> c = consumer(builder("g6"));
        c.subscribe(List.of("t"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(100))).isInstanceOf(BrokerException.class)
                        .hasMessageContaining("UNSUPPORTED_VERSION").hasMessageContaining("g6"));
    }

    @Test
    void assignAndSubscribeDoNotMix() {
        CairnConsumer<String, String> c = consumer(builder("g5"));
        c.subscribe(List.of("t"));
        assertThatThrownBy(() -> c.assign(List.of(new TopicPartition("t", 0)))).isInstanceOf(IllegalStateException.class);
        c.unsubscribe();
        c.assign(List.of(new TopicPartition("t", 0)));
        assertThatThrownBy(() -> c.subscribe(List.of("t"))).isInstanceOf(IllegalStateException.class);
    }
}
