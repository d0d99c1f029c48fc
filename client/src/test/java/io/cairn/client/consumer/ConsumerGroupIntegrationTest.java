package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupDescription;
import io.cairn.client.admin.ConsumerGroupListing;
import io.cairn.client.errors.BrokerException;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups end to end: real consumers against the standard broker's group coordinator,
 * with a short session timeout so that a killed member is noticed within seconds. Every member
 * checks, from its own rebalance callbacks, that no partition is ever owned by two members, and
 * that every record it processes comes from a partition it owns at that moment.
 */
class ConsumerGroupIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupIntegrationTest.class);
    private static final int PARTITIONS = 6;
    private static final long SESSION_TIMEOUT_MS = 3_000;
    private static final Map<String, String> BROKER_SETTINGS = Map.of(
            "group.consumer.session.timeout.ms", Long.toString(SESSION_TIMEOUT_MS),
            "group.consumer.heartbeat.interval.ms", "200",
            "offsets.topic.num.partitions", "4");

    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;
    private CairnAdmin admin;
    private final List<Member> members = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir, BROKER_SETTINGS);
        admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();
    }

    @AfterEach
    void stop() {
        for (Member m : members) {
            m.stopAndClose();
        }
        admin.close();
        broker.close();
    }

    private void createTopic(String name) throws Exception {
        admin.createTopics(List.of(NewTopic.of(name, PARTITIONS))).get(30, TimeUnit.SECONDS);
    }

    private void produce(String topic, int from, int to) throws Exception {
        try (CairnProducer<String, String> producer = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .retryBackoffMs(20).build()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, Integer.toString(i)));
            }
            producer.flush();
        }
    }

    private CairnConsumer<String, String> consumer(String group, String clientId) {
        return CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .clientId(clientId).retryBackoffMs(20).reconnectBackoffMs(20).reconnectBackoffMaxMs(200)
                .autoOffsetReset(OffsetResetStrategy.EARLIEST).maxPollRecords(200)
                .config(ConsumerConfig.GROUP_ID, group).config(ConsumerConfig.ENABLE_AUTO_COMMIT, false)
                .build();
    }

    /** What every member of one test shares: who owns what, and how often each record was processed. */
    private static final class Shared {
        final Map<TopicPartition, String> owners = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicIntegerArray seen;
        final AtomicLong processed = new AtomicLong();

        Shared(int records) {
            seen = new AtomicIntegerArray(records);
        }

        int missing() {
            int missing = 0;
            for (int i = 0; i < seen.length(); i++) {
                if (seen.get(i) == 0) {
                    missing++;
                }
            }
            return missing;
        }

        int duplicates() {
            int dups = 0;
            for (int i = 0; i < seen.length(); i++) {
                dups += Math.max(0, seen.get(i) - 1);
            }
            return dups;
        }
    }

    /**
     * A group member on its own thread: poll, process (count each record), commit synchronously.
     * Ownership is tracked from the rebalance callbacks.
     */
    private final class Member implements ConsumerRebalanceListener {
        final String name;
        final Shared shared;
        final CairnConsumer<String, String> consumer;
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        final Thread thread;
        volatile boolean stopRequested;
        volatile boolean crashRequested;
        volatile int uncommittedAtCrash = -1;
        volatile Throwable failure;
        final List<String> events = new CopyOnWriteArrayList<>();

        Member(String group, String name, Shared shared, String topic) {
            this.name = name;
            this.shared = shared;
            this.consumer = consumer(group, name);
            this.thread = new Thread(() -> run(topic), "member-" + name);
            members.add(this);
            thread.start();
        }

        private void run(String topic) {
            try {
                consumer.subscribe(List.of(topic), this);
                while (!stopRequested) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    int count = 0;
                    for (ConsumerRecord<String, String> r : records) {
                        TopicPartition tp = r.topicPartition();
                        if (!owned.contains(tp) || !name.equals(shared.owners.get(tp))) {
                            shared.violations.add(name + " processed " + tp + "@" + r.offset() + " without owning it; owners="
                                    + shared.owners);
                        }
                        shared.seen.incrementAndGet(Integer.parseInt(r.value()));
                        count++;
                    }
                    shared.processed.addAndGet(count);
                    if (crashRequested) {
                        uncommittedAtCrash = count;
                        for (TopicPartition tp : owned) {
                            // A dead process processes nothing more; its claim ends here.
                            shared.owners.remove(tp, name);
                        }
                        owned.clear();
                        consumer.crashForTesting();
                        return;
                    }
                    if (count > 0) {
                        consumer.commitSync();
                    }
                }
                consumer.close();
            } catch (Throwable t) {
                failure = t;
                log.error("member {} failed", name, t);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            long now = System.currentTimeMillis();
            for (TopicPartition tp : partitions) {
                String previous = shared.owners.putIfAbsent(tp, name);
                if (previous != null && !previous.equals(name)) {
                    shared.violations.add(now + " " + name + " was assigned " + tp + " still owned by " + previous);
                }
                owned.add(tp);
            }
            events.add(now + " assigned " + partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions, "lost");
        }

        private void release(Collection<TopicPartition> partitions, String how) {
            for (TopicPartition tp : partitions) {
                owned.remove(tp);
                shared.owners.remove(tp, name);
            }
            events.add(System.currentTimeMillis() + " " + how + " " + partitions);
        }

        void crash() throws InterruptedException {
            crashRequested = true;
            thread.join(30_000);
            assertThat(thread.isAlive()).as("%s stopped", name).isFalse();
        }

        void stopAndClose() {
            stopRequested = true;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Set<TopicPartition> all(String topic) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    private static void assertDisjointAndCovering(String topic, List<Member> group) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (Member m : group) {
            union.addAll(m.owned);
            total += m.owned.size();
        }
        assertThat(union).isEqualTo(all(topic));
        assertThat(total).as("partitions owned twice").isEqualTo(PARTITIONS);
    }

    private void awaitOwnership(String topic, List<Member> group, String what) {
        await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (Member m : group) {
                assertThat(m.failure).as("%s failed", m.name).isNull();
            }
            assertDisjointAndCovering(topic, group);
            for (Member m : group) {
                assertThat(m.owned).as("%s owns partitions", m.name).isNotEmpty();
            }
        });
    }

    @Test
    void threeMembersSplitSixPartitionsAndConsumeEveryRecordExactlyOnce() throws Exception {
        String topic = "orders";
        createTopic(topic);
        int records = 60_000;
        Shared shared = new Shared(records);
        long startMs = System.currentTimeMillis();
        List<Member> group = List.of(new Member("g1", "a", shared, topic), new Member("g1", "b", shared, topic),
                new Member("g1", "c", shared, topic));
        awaitOwnership(topic, group, "three members own disjoint partition sets covering the topic");
        // Disjoint and covering can hold before the last member got its share (3/3/0 while the
        // revocations for it are in flight); the uniform assignor must then converge to 2/2/2.
        await("the uniform assignor gives each of the three members two partitions").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> group.stream().allMatch(m -> m.owned.size() == 2));
        log.info("group of 3 stable after {} ms: {}", System.currentTimeMillis() - startMs,
                group.stream().map(m -> m.name + "=" + m.owned.size()).toList());
        produce(topic, 0, records);
        await("all records consumed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> shared.processed.get() >= records);
        assertThat(shared.missing()).isZero();
        assertThat(shared.duplicates()).isZero();
        assertThat(shared.violations).isEmpty();
        log.info("60k records consumed exactly once by 3 members in {} ms", System.currentTimeMillis() - startMs);
    }

    @Test
    void partitionsOfClosedAndKilledMembersMoveToSurvivorsWithoutLoss() throws Exception {
        String topic = "events";
        createTopic(topic);
        int records = 30_000;
        Shared shared = new Shared(records);
        produce(topic, 0, records / 3);
        Member a = new Member("g2", "a", shared, topic);
        Member b = new Member("g2", "b", shared, topic);
        Member c = new Member("g2", "c", shared, topic);
        awaitOwnership(topic, List.of(a, b, c), "three members own the topic");
        produce(topic, records / 3, 2 * records / 3);

        long closeMs = System.currentTimeMillis();
        a.stopAndClose();
        assertThat(a.failure).isNull();
        awaitOwnership(topic, List.of(b, c), "the closed member's partitions moved to the survivors");
        long closedRebalanceMs = System.currentTimeMillis() - closeMs;

        produce(topic, 2 * records / 3, records);
        long crashMs = System.currentTimeMillis();
        b.crash();
        assertThat(b.failure).isNull();
        awaitOwnership(topic, List.of(c), "the killed member's partitions moved after the session timeout");
        long killedRebalanceMs = System.currentTimeMillis() - crashMs;
        assertThat(killedRebalanceMs).as("the killed member is removed by the session timeout, not before")
                .isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - 500);

        await("every record consumed at least once").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> shared.missing() == 0);
        assertThat(shared.violations).isEmpty();
        int duplicates = shared.duplicates();
        assertThat(duplicates).as("duplicates are what the killed member processed but had not committed")
                .isLessThanOrEqualTo(b.uncommittedAtCrash);
        log.info("close rebalance {} ms, kill rebalance {} ms (session timeout {} ms), duplicates {} (uncommitted at kill {})",
                closedRebalanceMs, killedRebalanceMs, SESSION_TIMEOUT_MS, duplicates, b.uncommittedAtCrash);
    }

    @Test
    void committedOffsetsAndGroupsSurviveCleanRestartAndCrash() throws Exception {
        String topic = "ledger";
        createTopic(topic);
        produce(topic, 0, 600);
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            commits.put(new TopicPartition(topic, p), new OffsetAndMetadata(10L + p, "m" + p));
        }
        try (CairnConsumer<String, String> c = consumer("g3", "first")) {
            c.subscribe(List.of(topic));
            await("assigned").atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(50));
                return c.assignment().size() == PARTITIONS;
            });
            c.commitSync(commits, Duration.ofSeconds(10));
        }

        broker.restart();
        assertResumesFrom(topic, "second", 10);

        broker.crash();
        broker.restart();
        assertResumesFrom(topic, "third", 10);
    }

    private void assertResumesFrom(String topic, String clientId, long base) {
        try (CairnConsumer<String, String> c = consumer("g3", clientId)) {
            await("committed offsets readable").atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(all(topic), Duration.ofSeconds(5));
                for (int p = 0; p < PARTITIONS; p++) {
                    assertThat(committed.get(new TopicPartition(topic, p)).offset()).isEqualTo(base + p);
                }
            });
            c.subscribe(List.of(topic));
            Map<Integer, Long> firstOffset = new HashMap<>();
            await("resumed on every partition").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                    firstOffset.putIfAbsent(r.partition(), r.offset());
                }
                return firstOffset.size() == PARTITIONS;
            });
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(firstOffset.get(p)).as("first offset read from partition %d", p).isEqualTo(base + p);
            }
        }
    }

    @Test
    void producingToTheOffsetsTopicIsRefused() throws Exception {
        try (CairnProducer<String, String> producer = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .build()) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> producer.send(new ProducerRecord<>("__consumer_offsets", 0, "k", "v")).get(30, TimeUnit.SECONDS));
            assertThat(refused).as("produce to __consumer_offsets").isInstanceOf(ExecutionException.class);
            log.info("produce to __consumer_offsets refused: {}", refused.getCause().toString());
        }
        assertThat(broker.broker().logManager().log(new io.cairn.storage.TopicPartition("__consumer_offsets", 0))
                .orElseThrow().logEndOffset()).as("nothing appended to __consumer_offsets-0").isZero();
    }

    @Test
    void offsetResetAndDeletionAreRefusedWhileMembersAreActive() throws Exception {
        String topic = "audit";
        createTopic(topic);
        produce(topic, 0, 60);
        Set<TopicPartition> partitions = all(topic);
        try (CairnConsumer<String, String> c = consumer("g4", "active")) {
            c.subscribe(List.of(topic));
            int[] read = {0};
            await("consumed").atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += c.poll(Duration.ofMillis(50)).count();
                return read[0] == 60;
            });
            c.commitSync();

            Map<TopicPartition, Long> zeros = new HashMap<>();
            partitions.forEach(tp -> zeros.put(tp, 0L));
            assertThat(brokerError(admin.alterGroupOffsets("g4", zeros))).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
            assertThat(brokerError(admin.deleteGroups(List.of("g4")))).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
            assertThat(admin.listGroups().get(30, TimeUnit.SECONDS)).extracting(ConsumerGroupListing::groupId)
                    .contains("g4");
            ConsumerGroupDescription described = admin.describeGroups(List.of("g4")).get(30, TimeUnit.SECONDS).get("g4");
            assertThat(described.members()).hasSize(1);
            assertThat(described.members().get(0).assignment()).isEqualTo(partitions);
            assertThat(described.committedOffsets()).containsEntry(new TopicPartition(topic, 0), 10L);
        }
        await("group empty after its member left").atMost(Duration.ofSeconds(30)).until(() ->
                "Empty".equals(admin.describeGroups(List.of("g4")).get(30, TimeUnit.SECONDS).get("g4").state()));

        Map<TopicPartition, Long> reset = new HashMap<>();
        partitions.forEach(tp -> reset.put(tp, (long) tp.partition()));
        admin.alterGroupOffsets("g4", reset).get(30, TimeUnit.SECONDS);
        try (CairnConsumer<String, String> c = consumer("g4", "after-reset")) {
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(partitions, Duration.ofSeconds(10));
            partitions.forEach(tp -> assertThat(committed.get(tp).offset()).isEqualTo(tp.partition()));
            c.subscribe(List.of(topic));
            int[] read = {0};
            await("re-consumed from the reset offsets").atMost(Duration.ofSeconds(30)).until(() -> {
                read[0] += c.poll(Duration.ofMillis(50)).count();
                return read[0] == 60 - (0 + 1 + 2 + 3 + 4 + 5);
            });
            c.commitSync();
        }
        await("group empty again").atMost(Duration.ofSeconds(30)).until(() ->
                "Empty".equals(admin.describeGroups(List.of("g4")).get(30, TimeUnit.SECONDS).get("g4").state()));
        admin.deleteGroups(List.of("g4")).get(30, TimeUnit.SECONDS);
        assertThat(admin.listGroups().get(30, TimeUnit.SECONDS)).extracting(ConsumerGroupListing::groupId)
                .doesNotContain("g4");
        assertThat(brokerError(admin.describeGroups(List.of("g4")))).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND);
        try (CairnConsumer<String, String> c = consumer("g4", "after-delete")) {
            assertThat(c.committed(partitions, Duration.ofSeconds(10)).values()).allMatch(o -> o == null);
        }
    }

    private static ErrorCode brokerError(java.util.concurrent.CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(BrokerException.class);
        return ((BrokerException) t.getCause()).errorCode();
    }

    @Test
    void theCleanerCompactsTheOffsetsTopicAndTheNewestOffsetsRemain() throws Exception {
        admin.close();
        broker.close();
        Map<String, String> settings = new HashMap<>(BROKER_SETTINGS);
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("offsets.topic.segment.bytes", "16384");
        settings.put("log.cleaner.threads", "1");
        settings.put("log.cleaner.backoff.ms", "20");
        broker = EmbeddedBroker.start(dataDir.resolve("compacted"), settings);
        admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();
        String topic = "metrics";
        int partitions = 25;
        admin.createTopics(List.of(NewTopic.of(topic, partitions))).get(30, TimeUnit.SECONDS);
        List<String> groups = List.of("c0", "c1");
        // Keys: per group one group-metadata record and one offset record per partition.
        int keys = groups.size() * (1 + partitions);
        int window = 64;
        int calls = 100_000 / partitions + window;
        long startMs = System.currentTimeMillis();
        List<java.util.concurrent.CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (int call = 0; call < calls; call++) {
            String group = groups.get(call % groups.size());
            long offset = call;
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                offsets.put(new TopicPartition(topic, p), offset + p);
            }
            inFlight.add(admin.alterGroupOffsets(group, offsets));
            // Waiting for each window before the next orders the windows; the last one commits each group once.
            if (inFlight.size() == window || call == calls - 1 - groups.size() || call == calls - 1) {
                java.util.concurrent.CompletableFuture.allOf(inFlight.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                        .get(60, TimeUnit.SECONDS);
                inFlight.clear();
            }
        }
        long commitMs = System.currentTimeMillis() - startMs;
        Path partitionDir = broker.dataDir().resolve("__consumer_offsets-0");
        long[] sealed = new long[2];
        await("the cleaner compacted the sealed segments to one record per key").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    long[] counted = sealedSegmentRecords(partitionDir);
                    sealed[0] = counted[0];
                    sealed[1] = counted[1];
                    assertThat(counted[1]).as("sealed segments").isPositive();
                    assertThat(counted[0]).as("records in sealed segments").isLessThanOrEqualTo(keys);
                });
        log.info("{} offset records committed in {} ms; sealed segments: {} holding {} records for {} keys",
                (long) calls * partitions, commitMs, sealed[1], sealed[0], keys);
        for (int i = 0; i < groups.size(); i++) {
            long last = calls - groups.size() + i;
            String group = groups.get((int) (last % groups.size()));
            assertNewestOffsets(group, topic, partitions, last);
        }
        broker.restart();
        admin.close();
        admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();
        for (int i = 0; i < groups.size(); i++) {
            long last = calls - groups.size() + i;
            assertNewestOffsets(groups.get((int) (last % groups.size())), topic, partitions, last);
        }
    }

    private void assertNewestOffsets(String group, String topic, int partitions, long base) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        try (CairnConsumer<String, String> c = consumer(group, "reader-" + group)) {
            await("offsets of " + group).atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(all, Duration.ofSeconds(5));
                for (TopicPartition tp : all) {
                    assertThat(committed.get(tp).offset()).as("%s %s", group, tp).isEqualTo(base + tp.partition());
                }
            });
        }
    }

    /** Records and segments in the sealed (all but the newest) segment files of a partition, read as v2 batches. */
    private static long[] sealedSegmentRecords(Path partitionDir) throws java.io.IOException {
        List<Path> segments;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(partitionDir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        long records = 0;
        for (Path segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(segment));
            int position = 0;
            while (position + 61 <= bytes.limit()) {
                int batchLength = bytes.getInt(position + 8);
                if (batchLength <= 0) {
                    break;
                }
                records += bytes.getInt(position + 57);
                position += 12 + batchLength;
            }
        }
        return new long[] {records, Math.max(0, segments.size() - 1)};
    }
}
