package io.cairn.client.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetAndTimestamp;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.producer.RecordMetadata;
import io.cairn.client.serialization.Serdes;
import io.cairn.client.testing.KafkaMurmur2;
import io.cairn.protocol.record.CompressionType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's acceptance tests against a real broker running in-process: every codec round trip,
 * Kafka-compatible key placement, exactly-once delivery across broker restarts, batching, and
 * back-pressure on a full buffer.
 */
class ProducerConsumerAcceptanceTest {
    private static final Logger log = LoggerFactory.getLogger(ProducerConsumerAcceptanceTest.class);
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;
    private CairnAdmin admin;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir);
        admin = CairnAdmin.builder().bootstrapServers(broker.bootstrap()).build();
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(NewTopic.of(name, partitions))).get(30, TimeUnit.SECONDS);
    }

    private CairnProducer.Builder<String, String> producer() {
        return CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .retryBackoffMs(20).reconnectBackoffMs(20).reconnectBackoffMaxMs(200);
    }

    private CairnConsumer<String, String> consumer() {
        return CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST).fetchMaxWaitMs(100).retryBackoffMs(20)
                .reconnectBackoffMs(20).reconnectBackoffMaxMs(200).build();
    }

    /** Reads {@code expected} records of every partition of {@code topic}, grouped by partition in offset order. */
    private Map<Integer, List<ConsumerRecord<String, String>>> consumeAll(String topic, int partitions, int expected) {
        Map<Integer, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        try (CairnConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            AtomicInteger count = new AtomicInteger();
            await("consume " + expected + " records of " + topic).atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
                    count.incrementAndGet();
                }
                return count.get() >= expected;
            });
            assertThat(consumer.poll(Duration.ofMillis(300))).as("no records beyond the %d sent", expected).isEmpty();
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void hundredThousandRecordsRoundTripWithEveryCodec(CompressionType codec) throws Exception {
        String topic = "codec-" + codec.configName();
        createTopic(topic, PARTITIONS);
        int n = 100_000;
        Map<Integer, List<String>> sentByPartition = new HashMap<>();
        long start = System.nanoTime();
        try (CairnProducer<String, String> producer = producer().compressionType(codec).lingerMs(10)
                .batchSize(64 * 1024).build()) {
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 5000), value(i))));
            }
            producer.flush();
            for (int i = 0; i < n; i++) {
                RecordMetadata md = futures.get(i).get(60, TimeUnit.SECONDS);
                sentByPartition.computeIfAbsent(md.partition(), k -> new ArrayList<>()).add(value(i));
            }
        }
        long produced = System.nanoTime();
        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll(topic, PARTITIONS, n);
        long consumed = System.nanoTime();
        log.info("{}: produced {} records in {} ms ({} records/s), consumed in {} ms ({} records/s)", codec, n,
                TimeUnit.NANOSECONDS.toMillis(produced - start), rate(n, produced - start),
                TimeUnit.NANOSECONDS.toMillis(consumed - produced), rate(n, consumed - produced));
        assertThat(read.keySet()).isEqualTo(sentByPartition.keySet());
        for (Map.Entry<Integer, List<String>> e : sentByPartition.entrySet()) {
            List<ConsumerRecord<String, String>> records = read.get(e.getKey());
            assertThat(records.stream().map(ConsumerRecord::value).toList())
                    .as("partition %d in order", e.getKey()).isEqualTo(e.getValue());
            for (int i = 1; i < records.size(); i++) {
                assertThat(records.get(i).offset()).isEqualTo(records.get(i - 1).offset() + 1);
            }
        }
    }

    private static String value(int i) {
        return "value-" + i + "-" + "abcdefghij".repeat(1 + i % 7);
    }

    private static long rate(int n, long nanos) {
        return n * 1_000_000_000L / Math.max(1, nanos);
    }

    @Test
    void keyedRecordsLandWhereKafkaWouldPutThem() throws Exception {
        createTopic("keyed", PARTITIONS);
        Map<String, Integer> partitionOfKey = new HashMap<>();
        try (CairnProducer<String, String> producer = producer().build()) {
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int k = 0; k < 500; k++) {
                    futures.add(producer.send(new ProducerRecord<>("keyed", "user-" + k, "r" + round)));
                }
                for (int k = 0; k < 500; k++) {
                    int p = futures.get(k).get(30, TimeUnit.SECONDS).partition();
                    Integer before = partitionOfKey.putIfAbsent("user-" + k, p);
                    assertThat(before == null ? p : before).as("key user-%d always in the same partition", k).isEqualTo(p);
                }
            }
        }
        for (Map.Entry<String, Integer> e : partitionOfKey.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            assertThat(e.getValue()).as("partition of %s", e.getKey())
                    .isEqualTo((KafkaMurmur2.hash(key) & 0x7fffffff) % PARTITIONS);
        }
        // Kafka's published hash values give these placements among 6 partitions.
        assertThat(partitionOfKey).doesNotContainKey("21");
        try (CairnProducer<String, String> producer = producer().build()) {
            assertThat(producer.send(new ProducerRecord<>("keyed", "21", "x")).get(30, TimeUnit.SECONDS).partition())
                    .isEqualTo((-973932308 & 0x7fffffff) % PARTITIONS);
            assertThat(producer.send(new ProducerRecord<>("keyed", "foobar", "x")).get(30, TimeUnit.SECONDS).partition())
                    .isEqualTo((-790332482 & 0x7fffffff) % PARTITIONS);
        }
        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll("keyed", PARTITIONS, 1502);
        read.forEach((p, records) -> records.forEach(r -> {
            if (partitionOfKey.containsKey(r.key())) {
                assertThat(p).isEqualTo(partitionOfKey.get(r.key()));
            }
        }));
    }

    @Test
    void idempotentProducerSurvivesBrokerRestartsWithoutDuplicates() throws Exception {
        createTopic("exactly-once", 3);
        int n = 30_000;
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(n);
        try (CairnProducer<String, String> producer = producer().lingerMs(2).batchSize(4096)
                .requestTimeoutMs(5000).deliveryTimeoutMs(120_000).build()) {
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>("exactly-once", "k" + (i % 97), "v" + i)));
                if (i == n / 3) {
                    broker.restart(); // clean stop and start, connections cut mid-stream
                }
                if (i == 2 * n / 3) {
                    broker.crash();   // as if the process were killed: no flush, recovery on start
                    broker.restart();
                }
            }
            producer.flush();
        }
        Map<Integer, List<String>> sent = new HashMap<>();
        for (int i = 0; i < n; i++) {
            sent.computeIfAbsent(futures.get(i).get(60, TimeUnit.SECONDS).partition(), k -> new ArrayList<>()).add("v" + i);
        }
        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll("exactly-once", 3, n);
        for (Map.Entry<Integer, List<String>> e : sent.entrySet()) {
            assertThat(read.get(e.getKey()).stream().map(ConsumerRecord::value).toList())
                    .as("partition %d: every record exactly once, in send order", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void lingerAndBatchSizeReallyBatch() throws Exception {
        createTopic("batching", 1);
        int n = 2000;
        double before = brokerProduceRequests();
        double batchedRequests = produceCounting("batching", n, 200, 1 << 20)[0];
        double afterBatched = brokerProduceRequests();
        double[] unbatched = produceCounting("batching", n, 0, 1);
        double unbatchedRequests = unbatched[0];
        double afterUnbatched = brokerProduceRequests();
        log.info("produce requests for {} records: {} with linger.ms=200 (broker counted {}), {} with batch.size=1 "
                + "(broker counted {})", n, batchedRequests, afterBatched - before, unbatchedRequests,
                afterUnbatched - afterBatched);
        assertThat(afterBatched - before).as("broker: linger.ms=200 gathers the burst into a few requests")
                .isEqualTo(batchedRequests).isLessThan(20);
        assertThat(unbatched[1]).as("batch.size=1 makes a batch per record").isEqualTo(n);
        // a request carries at most 25 batches of one partition
        assertThat(afterUnbatched - afterBatched).as("broker: batch.size=1 sends many requests")
                .isEqualTo(unbatchedRequests).isGreaterThanOrEqualTo(n / 25.0);
    }

    /** Produce requests the broker answered so far, from its own metrics. */
    private double brokerProduceRequests() {
        io.micrometer.core.instrument.Counter c = broker.broker().metrics().registry().find("cairn.requests")
                .tag("api", "Produce").counter();
        return c == null ? 0 : c.count();
    }

    /** Sends n records as fast as possible and returns the produce requests and the batches it took. */
    private double[] produceCounting(String topic, int n, long lingerMs, int batchSize) throws Exception {
        try (CairnProducer<String, String> producer = producer().lingerMs(lingerMs).batchSize(batchSize).build()) {
            producer.partitionsFor(topic);
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, null, "v" + i)));
            }
            for (CompletableFuture<RecordMetadata> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            return new double[] {producer.metrics().get("cairn.client.producer.requests").counter().count(),
                    producer.metrics().get("cairn.client.producer.batches.per.request").summary().totalAmount()};
        }
    }

    @Test
    void fullBufferBlocksUntilTheBrokerIsBackAndTimesOutOtherwise() throws Exception {
        createTopic("backpressure", 1);
        String value = "x".repeat(1000);
        try (CairnProducer<String, String> producer = producer().bufferMemory(64 * 1024).batchSize(16 * 1024)
                .lingerMs(0).maxBlockMs(60_000).requestTimeoutMs(2000).deliveryTimeoutMs(120_000).build()) {
            producer.partitionsFor("backpressure");
            broker.stop();
            CompletableFuture<List<CompletableFuture<RecordMetadata>>> sending = CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    futures.add(producer.send(new ProducerRecord<>("backpressure", null, value)));
                }
                return futures;
            });
            await("send blocked on the full buffer").atMost(Duration.ofSeconds(20)).until(() ->
                    producer.metrics().get("cairn.client.producer.buffer.waiters").gauge().value() >= 1);
            assertThat(sending).isNotDone();
            broker.restart();
            for (CompletableFuture<RecordMetadata> f : sending.get(60, TimeUnit.SECONDS)) {
                assertThat(f.get(60, TimeUnit.SECONDS).offset()).isNotNegative();
            }
        }
        try (CairnProducer<String, String> producer = producer().bufferMemory(32 * 1024).batchSize(16 * 1024)
                .lingerMs(0).maxBlockMs(500).requestTimeoutMs(2000).deliveryTimeoutMs(120_000).build()) {
            producer.partitionsFor("backpressure");
            broker.stop();
            CompletableFuture<RecordMetadata> last = null;
            for (int i = 0; i < 200 && (last == null || !last.isDone()); i++) {
                last = producer.send(new ProducerRecord<>("backpressure", null, value));
            }
            CompletableFuture<RecordMetadata> failed = last;
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BufferExhaustedException.class);
            producer.close(Duration.ZERO);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "1", "all"})
    void everyAcksLevelDelivers(String acks) throws Exception {
        String topic = "acks-" + acks;
        createTopic(topic, 2);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> producer = producer().acks(acks).build()) {
            for (int i = 0; i < 1000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            producer.flush();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            RecordMetadata md = f.get(30, TimeUnit.SECONDS);
            if (acks.equals("0")) {
                assertThat(md.hasOffset()).as("acks=0: the broker does not say where").isFalse();
            } else {
                assertThat(md.offset()).isNotNegative();
            }
        }
        Map<Integer, List<ConsumerRecord<String, String>>> read = consumeAll(topic, 2, 1000);
        assertThat(read.values().stream().mapToInt(List::size).sum()).isEqualTo(1000);
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfter() throws Exception {
        createTopic("times", 1);
        TopicPartition tp = new TopicPartition("times", 0);
        try (CairnProducer<String, String> producer = producer().build()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("times", 0, 1_000_000L + i * 1000L, "k", "v" + i, null));
            }
            producer.flush();
        }
        try (CairnConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, 1_004_500L),
                    Duration.ofSeconds(10));
            assertThat(found.get(tp)).isEqualTo(new OffsetAndTimestamp(5, 1_005_000L));
            assertThat(consumer.offsetsForTimes(Map.of(tp, 9_999_999L), Duration.ofSeconds(10)).get(tp)).isNull();
            assertThat(consumer.endOffsets(List.of(tp), Duration.ofSeconds(10))).containsEntry(tp, 10L);
            consumer.seek(tp, found.get(tp).offset());
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                return values.size() >= 5;
            });
            assertThat(values).containsExactly("v5", "v6", "v7", "v8", "v9");
        }
    }
}
