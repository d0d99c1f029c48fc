package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetResetStrategy;
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
        // Every third produce request is appended but its answer lost with the connection.
        broker.produceFault(n -> n % 3 == 0 ? ProduceFault.APPEND_THEN_DISCONNECT : ProduceFault.NONE);
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
