package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.BrokerException;
import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.errors.TimeoutException;
import io.cairn.client.serialization.Serdes;
import io.cairn.client.testing.FakeBroker;
import io.cairn.client.testing.FakeBroker.ProduceFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The producer's batching, retries and idempotence against {@link FakeBroker}, which injects faults
 * the real broker cannot be asked for: answers lost after the append, NOT_LEADER, dropped requests.
 */
class ProducerFakeBrokerTest {
    private final FakeBroker broker = new FakeBroker(Map.of("t", 3, "single", 1));

    @AfterEach
    void stop() {
        broker.close();
    }

    private CairnProducer.Builder<String, String> producer() {
        return CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .retryBackoffMs(5).reconnectBackoffMs(5).reconnectBackoffMaxMs(50);
    }

    private Map<TopicPartition, List<String>> consumeAll(int expected) {
        Map<TopicPartition, List<String>> out = new HashMap<>();
        try (CairnConsumer<String, String> consumer = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST).fetchMaxWaitMs(50).build()) {
            List<TopicPartition> parts = List.of(new TopicPartition("t", 0), new TopicPartition("t", 1),
                    new TopicPartition("t", 2));
            consumer.assign(parts);
            int[] count = {0};
            await("all records consumed").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    out.computeIfAbsent(r.topicPartition(), k -> new ArrayList<>()).add(r.value());
                    count[0]++;
                }
                return count[0] >= expected;
            });
            assertThat(consumer.poll(Duration.ofMillis(200))).as("nothing beyond the expected records").isEmpty();
        }
        return out;
    }

    /** Values per partition in send order, checked against the offsets the futures reported. */
    private static Map<TopicPartition, List<String>> expectedByPartition(List<String> values,
                                                                         List<CompletableFuture<RecordMetadata>> futures)
            throws Exception {
        Map<TopicPartition, List<String>> out = new HashMap<>();
        Map<TopicPartition, Long> lastOffset = new HashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
            Long prev = lastOffset.put(md.topicPartition(), md.offset());
            assertThat(md.offset()).as("offsets grow per partition in send order").isGreaterThan(prev == null ? -1 : prev);
            out.computeIfAbsent(md.topicPartition(), k -> new ArrayList<>()).add(values.get(i));
        }
        return out;
    }

    @Test
    void producesAndConsumesBackInOrder() throws Exception {
        List<String> values = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        // A linger far longer than the send loop: batches leave when full or on flush, however slowly
        // this thread is scheduled, so the request count below measures batching, not the machine's load.
        try (CairnProducer<String, String> p = producer().lingerMs(60_000).build()) {
            for (int i = 0; i < 5000; i++) {
                values.add("v" + i);
                futures.add(p.send(new ProducerRecord<>("t", "k" + (i % 17), "v" + i)));
            }
            p.flush();
            assertThat(futures).allMatch(CompletableFuture::isDone);
        }
        Map<TopicPartition, List<String>> expected = expectedByPartition(values, futures);
        assertThat(consumeAll(5000)).isEqualTo(expected);
        assertThat(broker.produceRequests()).as("records were batched").isLessThan(500);
    }

    @Test
    void lostAnswersAreRetriedWithoutDuplicates() throws Exception {
        // Every third produce request, starting with the first, is appended but its answer lost with the
        // connection (the first: a request may carry many batches, so there may be only a few requests).
        broker.produceFault(n -> n % 3 == 1 ? ProduceFault.APPEND_THEN_DISCONNECT : ProduceFault.NONE);
        List<String> values = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().lingerMs(1).batchSize(2000).build()) {
            for (int i = 0; i < 3000; i++) {
                values.add("v" + i);
                futures.add(p.send(new ProducerRecord<>("t", "k" + i, "v" + i)));
            }
            p.flush();
        }
        Map<TopicPartition, List<String>> expected = expectedByPartition(values, futures);
        assertThat(broker.duplicates()).as("the broker saw retried batches it already had").isPositive();
        assertThat(consumeAll(3000)).isEqualTo(expected);
        for (Map.Entry<TopicPartition, List<String>> e : expected.entrySet()) {
            assertSequencesContiguous(e.getKey(), e.getValue().size());
        }
    }

    /** The stored batches of {@code tp} carry sequences 0..records-1, each batch following the last. */
    private void assertSequencesContiguous(TopicPartition tp, int records) {
        int next = 0;
        for (int[] seq : broker.storedSequences(tp)) {
            assertThat(seq[0]).as("base sequence of the next batch of " + tp).isEqualTo(next);
            next = seq[1] + 1;
        }
        assertThat(next).as("sequences stored for " + tp).isEqualTo(records);
    }

    @Test
    void callbacksFireInSendOrderPerPartitionAcrossBatches() throws Exception {
        Map<TopicPartition, List<String>> sent = new HashMap<>();
        Map<TopicPartition, List<String>> acknowledged = new HashMap<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().lingerMs(1).batchSize(600).build()) {
            for (int i = 0; i < 3000; i++) {
                String value = "v" + i;
                int partition = i % 3;
                sent.computeIfAbsent(new TopicPartition("t", partition), k -> new ArrayList<>()).add(value);
                // Callbacks run on the producer's one callback thread; get() on their stages below orders
                // their writes before the test's reads.
                futures.add(p.send(new ProducerRecord<>("t", partition, "k", value)).whenComplete((md, e) ->
                        acknowledged.computeIfAbsent(md.topicPartition(), k -> new ArrayList<>()).add(value)));
            }
            p.flush();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(broker.producedBatches()).as("records went in many batches").isGreaterThan(10);
        assertThat(acknowledged).as("callbacks per partition in send order").isEqualTo(sent);
        for (int partition = 0; partition < 3; partition++) {
            TopicPartition tp = new TopicPartition("t", partition);
            assertSequencesContiguous(tp, sent.get(tp).size());
        }
    }

    @Test
    void sendCallbacksRunInOrderAndAThrowingOneDoesNotStopTheOthers() throws Exception {
        List<Long> callbackOffsets = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().lingerMs(1).batchSize(500).build()) {
            for (int i = 0; i < 300; i++) {
                int index = i;
                futures.add(p.send(new ProducerRecord<>("single", "k", "v" + i), (md, e) -> {
                    callbackOffsets.add(e == null ? md.offset() : -1L);
                    if (index % 50 == 0) {
                        throw new IllegalStateException("callback " + index + " fails on purpose");
                    }
                }));
            }
            p.flush();
            // A record that fails before it is queued calls back at once, on the sending thread.
            Thread[] calledOn = new Thread[1];
            Exception[] error = new Exception[1];
            CompletableFuture<RecordMetadata> bad = p.send(new ProducerRecord<>("single", 7, "k", "v"), (md, e) -> {
                calledOn[0] = Thread.currentThread();
                error[0] = e;
            });
            assertThat(calledOn[0]).isSameAs(Thread.currentThread());
            assertThat(error[0]).hasMessageContaining("partition 7 of topic single does not exist");
            assertThat(bad).isCompletedExceptionally();
        }
        List<Long> futureOffsets = new ArrayList<>();
        for (CompletableFuture<RecordMetadata> f : futures) {
            futureOffsets.add(f.get(30, TimeUnit.SECONDS).offset());
        }
        // The callback of record i runs before its future completes: the get() above orders its write.
        assertThat(callbackOffsets).as("callbacks in send order, none skipped").isEqualTo(futureOffsets);
        assertThat(futureOffsets).isSorted().doesNotHaveDuplicates();
        assertThat(broker.producedBatches()).as("records went in many batches").isGreaterThan(5);
    }

    @Test
    void everyRecordOfAFailedBatchFailsInOrder() throws Exception {
        List<Integer> failedInOrder = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().enableIdempotence(false).retries(0).lingerMs(60_000)
                .build()) {
            send(p, "single", "warm-up");
            broker.produceFault(n -> ProduceFault.NOT_LEADER);
            for (int i = 0; i < 50; i++) {
                int index = i;
                futures.add(p.send(new ProducerRecord<>("single", "k", "v" + i)).whenComplete((md, e) -> {
                    if (e != null) {
                        failedInOrder.add(index);
                    }
                }));
            }
            p.flush();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BrokerException.class)
                    .hasMessageContaining("NOT_LEADER_OR_FOLLOWER");
        }
        assertThat(failedInOrder).as("each record's future failed, in send order")
                .containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(broker.endOffset(new TopicPartition("single", 0))).as("only the warm-up was written").isEqualTo(1);
    }

    /** Sends one record and flushes: usable whatever linger.ms the producer has. */
    private static void send(CairnProducer<String, String> p, String topic, String value) throws Exception {
        CompletableFuture<RecordMetadata> f = p.send(new ProducerRecord<>(topic, "k", value));
        p.flush();
        f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void fullBatchesWaitingForAFreeRequestSlotAreSentWhenOneFrees() throws Exception {
        // One request in flight at a time, and a linger far longer than the test: a batch leaves only
        // when it is full and a slot is free, so the sender must hear of both events without a flush.
        try (CairnProducer<String, String> p = producer().maxInFlightRequestsPerConnection(1).lingerMs(60_000)
                .batchSize(1000).build()) {
            send(p, "single", "warm-up");
            int requestsBefore = broker.produceRequests();
            int batchesBefore = broker.producedBatches();
            broker.holdProduceAnswers(true);
            String value = "x".repeat(90);
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // ~99-byte records: four full batches of 9 and an open one of 4
                futures.add(p.send(new ProducerRecord<>("single", "k", value)));
            }
            await("the first full batch is in flight").atMost(Duration.ofSeconds(30))
                    .until(() -> broker.heldProduceAnswers() == 1);
            assertThat(broker.produceRequests() - requestsBefore).as("one request in flight at most").isEqualTo(1);
            assertThat(futures.get(0)).isNotDone();

            broker.holdProduceAnswers(false);
            // The answer frees the slot; every full batch behind it goes without a flush, the open one stays.
            await("the queued full batches are sent once the slot frees").atMost(Duration.ofSeconds(30))
                    .until(() -> futures.get(35).isDone());
            assertThat(broker.producedBatches() - batchesBefore).as("every full batch sent").isEqualTo(4);
            // The first request left when its batch filled (maybe with batches that filled meanwhile); the
            // full batches queued behind it go together in the next one.
            assertThat(broker.produceRequests() - requestsBefore).as("one request after the slot freed")
                    .isBetween(1, 2);
            assertThat(broker.mostBatchesPerPartition()).isGreaterThanOrEqualTo(2);
            assertThat(futures.get(39)).as("the open batch waits for linger.ms").isNotDone();
            p.flush();
            long previous = -1;
            for (CompletableFuture<RecordMetadata> f : futures) {
                long offset = f.get(30, TimeUnit.SECONDS).offset();
                assertThat(offset).isEqualTo(previous < 0 ? 1 : previous + 1);
                previous = offset;
            }
        }
    }

    @Test
    void droppedRequestsAndLeaderErrorsAreRetried() throws Exception {
        broker.produceFault(n -> switch (n % 4) {
            case 1 -> ProduceFault.DISCONNECT;
            case 2 -> ProduceFault.NOT_LEADER;
            default -> ProduceFault.NONE;
        });
        List<String> values = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().lingerMs(1).batchSize(1000).build()) {
            for (int i = 0; i < 2000; i++) {
                values.add("v" + i);
                futures.add(p.send(new ProducerRecord<>("t", null, "v" + i)));
            }
            p.flush();
            assertThat(p.metrics().get("cairn.client.producer.retries").counter().count()).isPositive();
        }
        assertThat(consumeAll(2000)).isEqualTo(expectedByPartition(values, futures));
    }

    @Test
    void withoutIdempotenceLostAnswersMayDuplicateButNothingIsLost() throws Exception {
        broker.produceFault(n -> n == 2 ? ProduceFault.APPEND_THEN_DISCONNECT : ProduceFault.NONE);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (CairnProducer<String, String> p = producer().enableIdempotence(false).lingerMs(0).build()) {
            for (int i = 0; i < 50; i++) {
                futures.add(p.send(new ProducerRecord<>("single", "k", "v" + i)));
                p.flush();
            }
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(broker.endOffset(new TopicPartition("single", 0))).isEqualTo(51); // one batch written twice
    }

    @Test
    void recordsThatCannotBeDeliveredExpire() {
        broker.produceFault(n -> ProduceFault.DISCONNECT);
        try (CairnProducer<String, String> p = producer().deliveryTimeoutMs(1500).requestTimeoutMs(1000).lingerMs(0)
                .build()) {
            CompletableFuture<RecordMetadata> f = p.send(new ProducerRecord<>("t", "k", "v"));
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("delivery.timeout.ms=1500");
        }
    }

    @Test
    void sendToAMissingTopicTimesOutAfterMaxBlock() throws Exception {
        try (CairnProducer<String, String> p = producer().maxBlockMs(2_000).build()) {
            // Connected, with metadata, before the clock of max.block.ms starts: the broker's answer for
            // the missing topic must be in before it runs out, even on a loaded machine.
            connected(p);
            CompletableFuture<RecordMetadata> f = p.send(new ProducerRecord<>("nope", "k", "v"));
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("topic nope not present in metadata after 2000 ms")
                    .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION");
        }
    }

    /** Sends one record to "single" and waits for its acknowledgement: connection and metadata are ready. */
    private static void connected(CairnProducer<String, String> p) throws Exception {
        p.send(new ProducerRecord<>("single", "warm-up", "warm-up")).get(60, TimeUnit.SECONDS);
    }

    @Test
    void fullBufferBlocksThenUnblocksWhenSpaceFrees() throws Exception {
        // Nothing is answered at first, so the buffer fills and stays full.
        broker.produceFault(n -> ProduceFault.DISCONNECT);
        try (CairnProducer<String, String> p = producer().bufferMemory(64 * 1024).batchSize(16 * 1024).lingerMs(0)
                .maxBlockMs(30_000).requestTimeoutMs(1000).deliveryTimeoutMs(60_000).build()) {
            String value = "x".repeat(1000);
            // 200 records of 1 KB cannot fit in 64 KiB: the sending thread must block part way.
            CompletableFuture<List<CompletableFuture<RecordMetadata>>> sending = CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    futures.add(p.send(new ProducerRecord<>("single", null, value)));
                }
                return futures;
            });
            await("send blocked on buffer.memory").atMost(Duration.ofSeconds(60)).until(() ->
                    p.metrics().get("cairn.client.producer.buffer.waiters").gauge().value() == 1);
            assertThat(sending).isNotDone();
            broker.produceFault(n -> ProduceFault.NONE);
            for (CompletableFuture<RecordMetadata> f : sending.get(30, TimeUnit.SECONDS)) {
                assertThat(f.get(30, TimeUnit.SECONDS).offset()).isNotNegative();
            }
            assertThat(broker.endOffset(new TopicPartition("single", 0))).isEqualTo(200);
        }
    }

    @Test
    void fullBufferFailsAfterMaxBlock() throws Exception {
        try (CairnProducer<String, String> p = producer().bufferMemory(32 * 1024).batchSize(16 * 1024).lingerMs(0)
                .maxBlockMs(500).requestTimeoutMs(1000).deliveryTimeoutMs(60_000).build()) {
            // Metadata first: max.block.ms also bounds the wait for it, and the failure wanted here is the
            // full buffer's, not a metadata request that a loaded machine answered late.
            connected(p);
            broker.produceFault(n -> ProduceFault.DISCONNECT);
            String value = "x".repeat(1000);
            CompletableFuture<RecordMetadata> last = null;
            long start = System.nanoTime();
            for (int i = 0; i < 100 && (last == null || !last.isCompletedExceptionally()); i++) {
                last = p.send(new ProducerRecord<>("single", null, value));
            }
            assertThat(last).isCompletedExceptionally();
            assertThatThrownBy(last::join).hasCauseInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("max.block.ms=500");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(500);
            p.close(Duration.ZERO);
        }
    }
}
