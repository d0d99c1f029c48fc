package io.cairn.reliability.soak;

import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetAndMetadata;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one soak against a broker in this JVM and returns its {@link SoakSummary}:
 * <ol>
 *   <li>start the broker and create the three soak topics;</li>
 *   <li>start the group's members and wait until they own every partition;</li>
 *   <li>start the producers and the sampler; every {@code churnIntervalMs} replace one member (a
 *       clean leave and a join, so partitions move while records flow);</li>
 *   <li>after {@code loadMs}: stop the producers (every send completed), wait until the group has
 *       read every partition to its end, stop the members (they commit), and read the group's
 *       committed offsets;</li>
 *   <li>roll the compacted topic's segments with filler records until the cleaner has gone over
 *       all of it and every tombstone has expired, then read it back whole and compare with the
 *       oracle.</li>
 * </ol>
 *
 * <p>Driven by one test thread; producers, members and the sampler run on their own threads.
 */
final class SoakRun {
    static final int PRODUCERS = SoakProducer.Kind.values().length;
    private static final int FILLER_BYTES = 4096;

    private final SoakSettings settings;
    private final Path dataDir;
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final DeliveryLedger retained = new DeliveryLedger();
    private final DeliveryLedger compacted = new DeliveryLedger();
    private final CompactionOracle oracle;
    private final List<Thread> memberThreads = new ArrayList<>();
    private final List<SoakMember> members = new ArrayList<>();
    private int memberCount;
    private int churns;

    SoakRun(SoakSettings settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.oracle = new CompactionOracle(settings.keySpace());
    }

    SoakSummary run() throws InterruptedException {
        String loadStart = ProcessProbe.loadAverage();
        long startMs = System.currentTimeMillis();
        try (EmbeddedBroker broker = startBroker()) {
            createTopics(broker.bootstrap());
            long groupStart = System.nanoTime();
            for (int i = 0; i < settings.groupMembers(); i++) {
                startMember(broker.bootstrap());
            }
            await("every partition owned by a member").atMost(Duration.ofSeconds(60))
                    .until(() -> members.stream().mapToInt(SoakMember::ownedPartitions).sum() == settings.partitions());

            long t0 = System.nanoTime();
            LogManager logs = broker.broker().logManager();
            SoakSampler sampler = new SoakSampler(t0, logs, new ProcessProbe(dataDir), retained, compacted, oracle, errors);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-sampler"));
            List<SoakProducer> producers = new ArrayList<>();
            List<Thread> producerThreads = new ArrayList<>();
            SoakSummary.Builder summary = new SoakSummary.Builder(settings, loadStart)
                    .groupFormedMs((t0 - groupStart) / 1_000_000);
            try {
                for (SoakProducer.Kind kind : SoakProducer.Kind.values()) {
                    SoakProducer p = new SoakProducer(producers.size(), kind, broker.bootstrap(), settings, retained,
                            oracle, errors);
                    producers.add(p);
                    Thread t = new Thread(p, "soak-producer-" + p.kind());
                    producerThreads.add(t);
                    t.start();
                }
                scheduler.scheduleAtFixedRate(sampler, settings.sampleIntervalMs(), settings.sampleIntervalMs(),
                        TimeUnit.MILLISECONDS);
                runLoad(broker.bootstrap(), t0);

                for (SoakProducer p : producers) {
                    p.stop();
                }
                for (Thread t : producerThreads) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                }
                long outstanding = producers.stream().mapToLong(SoakProducer::outstanding).sum();
                summary.producersStoppedAfterMs((System.nanoTime() - t0) / 1_000_000).outstandingSends(outstanding);

                Map<String, DeliveryLedger.LogBounds> ends = bounds(logs, true);
                long drainStart = System.nanoTime();
                await("the group read every partition to its end").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> unfinished(ends).isEmpty());
                summary.drainMs((System.nanoTime() - drainStart) / 1_000_000);
            } finally {
                // shutdown(), not shutdownNow(): an interrupt would close /proc reads of a running sample.
                scheduler.shutdown();
                scheduler.awaitTermination(60, TimeUnit.SECONDS);
                for (SoakProducer p : producers) {
                    p.stop();
                }
                stopMembers();
            }
            summary.samples(sampler.samples()).churns(churns).membersStarted(memberCount);
            Map<String, DeliveryLedger.LogBounds> allBounds = bounds(logs, true);
            summary.committedMismatches(committedMismatches(broker.bootstrap(), allBounds));
            Map<String, DeliveryLedger.LogBounds> retainedBounds = bounds(logs, false);
            summary.retained(retained.verdict(retainedBounds), retainedBounds);
            summary.compactedDeliveryDuplicates(compacted.deliveryDuplicates() + compacted.logDuplicates());
            long cleanStart = System.nanoTime();
            summary.compacted(verifyCompaction(broker.bootstrap(), logs));
            summary.compactionCheckMs((System.nanoTime() - cleanStart) / 1_000_000)
                    .compactedSegmentsAtEnd(logs.logs().stream()
                            .filter(l -> l.topicPartition().topic().equals(SoakSettings.COMPACTED_TOPIC))
                            .mapToInt(Log::segmentCount).sum());
            summary.unlinkedAtEnd(awaitUnlinkedReleased(new ProcessProbe(dataDir)));
            summary.ledgerBytes(retained.bitSetBytes() + compacted.bitSetBytes());
            summary.errors(List.copyOf(errors));
            summary.loadEnd(ProcessProbe.loadAverage()).wallMs(System.currentTimeMillis() - startMs);
            return summary.build();
        }
    }

    /**
     * Waits until no descriptor or mapping of an unlinked data file is left (the last removals wait
     * {@code file.delete.delay.ms}); returns what is left after 30 s more than that.
     */
    private ProcessProbe.Unlinked awaitUnlinkedReleased(ProcessProbe probe) {
        AtomicReference<ProcessProbe.Unlinked> last = new AtomicReference<>(probe.unlinked());
        try {
            await("descriptors and mappings of unlinked data files released")
                    .atMost(Duration.ofMillis(settings.fileDeleteDelayMs() + 30_000))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last.set(probe.unlinked());
                        return last.get().total() == 0;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported through the returned counts
        }
        return last.get();
    }

    private EmbeddedBroker startBroker() {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder(dataDir);
        settings.brokerSettings().forEach(b::set);
        return b.start();
    }

    private void createTopics(String bootstrap) {
        try (CairnAdmin admin = CairnAdmin.builder().bootstrapServers(bootstrap).build()) {
            admin.createTopics(List.of(
                    NewTopic.of(SoakSettings.BYTES_TOPIC, settings.bytesPartitions()).withConfigs(settings.bytesTopicConfig()),
                    NewTopic.of(SoakSettings.TIME_TOPIC, settings.timePartitions()).withConfigs(settings.timeTopicConfig()),
                    NewTopic.of(SoakSettings.COMPACTED_TOPIC, settings.compactedPartitions())
                            .withConfigs(settings.compactedTopicConfig()))).join();
        }
    }

    /** Waits out the load phase, replacing one member every churn interval; ends early if anything failed. */
    private void runLoad(String bootstrap, long t0) throws InterruptedException {
        long end = t0 + TimeUnit.MILLISECONDS.toNanos(settings.loadMs());
        long nextChurn = t0 + TimeUnit.MILLISECONDS.toNanos(settings.churnIntervalMs());
        Object clock = new Object();
        while (errors.isEmpty()) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            if (now >= nextChurn) {
                replaceOneMember(bootstrap);
                nextChurn += TimeUnit.MILLISECONDS.toNanos(settings.churnIntervalMs());
            }
            long waitNanos = Math.min(Math.min(end, nextChurn) - now, TimeUnit.MILLISECONDS.toNanos(500));
            synchronized (clock) {
                // The load runs for a fixed time; this only paces the check for failures and churn.
                TimeUnit.NANOSECONDS.timedWait(clock, Math.max(1, waitNanos));
            }
        }
    }

    private void replaceOneMember(String bootstrap) throws InterruptedException {
        int victim = churns % members.size();
        SoakMember leaving = members.get(victim);
        leaving.stop();
        memberThreads.get(victim).join(TimeUnit.SECONDS.toMillis(60));
        members.remove(victim);
        memberThreads.remove(victim);
        startMember(bootstrap);
        churns++;
    }

    private void startMember(String bootstrap) {
        SoakMember m = new SoakMember("soak-member-" + memberCount++, bootstrap, retained, compacted, errors);
        Thread t = new Thread(m, m.name());
        members.add(m);
        memberThreads.add(t);
        t.start();
    }

    private void stopMembers() throws InterruptedException {
        for (SoakMember m : members) {
            m.stop();
        }
        for (Thread t : memberThreads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    private static boolean isSoakTopic(String topic, boolean withCompacted) {
        return topic.equals(SoakSettings.BYTES_TOPIC) || topic.equals(SoakSettings.TIME_TOPIC)
                || (withCompacted && topic.equals(SoakSettings.COMPACTED_TOPIC));
    }

    private static Map<String, DeliveryLedger.LogBounds> bounds(LogManager logs, boolean withCompacted) {
        Map<String, DeliveryLedger.LogBounds> bounds = new HashMap<>();
        for (Log log : logs.logs()) {
            if (isSoakTopic(log.topicPartition().topic(), withCompacted)) {
                bounds.put(log.topicPartition().topic() + "-" + log.topicPartition().partition(),
                        new DeliveryLedger.LogBounds(log.logStartOffset(), log.logEndOffset()));
            }
        }
        return bounds;
    }

    private List<String> unfinished(Map<String, DeliveryLedger.LogBounds> ends) {
        List<String> unfinished = new ArrayList<>();
        ends.forEach((partition, b) -> {
            DeliveryLedger ledger = partition.startsWith(SoakSettings.COMPACTED_TOPIC) ? compacted : retained;
            if (b.logEndOffset() > b.logStartOffset() && ledger.nextOffsetConsumed(partition) < b.logEndOffset()) {
                unfinished.add(partition);
            }
        });
        return unfinished;
    }

    /** Partitions whose committed offset is not their log end offset after the members left. */
    private static List<String> committedMismatches(String bootstrap, Map<String, DeliveryLedger.LogBounds> bounds) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (String name : bounds.keySet()) {
            int dash = name.lastIndexOf('-');
            partitions.add(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))));
        }
        try (CairnConsumer<byte[], byte[]> c = CairnConsumer.builder().bootstrapServers(bootstrap)
                .config("group.id", SoakSettings.GROUP).config("enable.auto.commit", false).build()) {
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(partitions, Duration.ofSeconds(30));
            List<String> mismatches = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long end = bounds.get(tp.topic() + "-" + tp.partition()).logEndOffset();
                OffsetAndMetadata o = committed.get(tp);
                if (end > 0 && (o == null || o.offset() != end)) {
                    mismatches.add(tp + " committed=" + (o == null ? "none" : o.offset()) + " end=" + end);
                }
            }
            return mismatches;
        }
    }

    /**
     * Appends one filler record per compacted partition (rolling its segment once {@code segment.ms}
     * passed, so all soak records sit in sealed, cleanable segments) until a full read of the topic
     * shows the compaction finished, or 60 s pass; returns the last check.
     */
    private CompactionOracle.Verdict verifyCompaction(String bootstrap, LogManager logs) {
        AtomicReference<CompactionOracle.Verdict> last = new AtomicReference<>();
        try (CairnProducer<String, byte[]> filler = CairnProducer.builder().bootstrapServers(bootstrap)
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.bytesSerializer()).build()) {
            try {
                await("the compacted topic fully cleaned").atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            for (int p = 0; p < settings.compactedPartitions(); p++) {
                                filler.send(new ProducerRecord<>(SoakSettings.COMPACTED_TOPIC, p, "filler-" + p,
                                        new byte[FILLER_BYTES])).join();
                            }
                            CompactionOracle.Verdict v = oracle.check(readCompacted(bootstrap, logs));
                            last.set(v);
                            return v.valuesCorrect() && v.compacted();
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                errors.add(new IllegalStateException("compaction did not finish within 60 s: " + last.get()));
            }
        }
        return last.get();
    }

    private List<CompactionOracle.LogRecord> readCompacted(String bootstrap, LogManager logs) {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Log log : logs.logs()) {
            if (log.topicPartition().topic().equals(SoakSettings.COMPACTED_TOPIC)) {
                TopicPartition tp = new TopicPartition(SoakSettings.COMPACTED_TOPIC, log.topicPartition().partition());
                partitions.add(tp);
                ends.put(tp, log.logEndOffset());
            }
        }
        List<CompactionOracle.LogRecord> records = new ArrayList<>();
        try (CairnConsumer<String, byte[]> c = CairnConsumer.builder().bootstrapServers(bootstrap)
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.bytesDeserializer()).build()) {
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + SoakSettings.COMPACTED_TOPIC + " back took over 30 s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records.add(new CompactionOracle.LogRecord(r.key(), r.offset(), r.value()));
                }
            }
        }
        return records;
    }
}
