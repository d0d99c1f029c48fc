package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.CorruptRecordException;
import io.cairn.client.errors.NoOffsetForPartitionException;
import io.cairn.client.errors.WakeupException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import io.cairn.client.testing.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Consumer positions, pause/resume, wakeup, CRC checks and thread confinement against {@link FakeBroker}. */
class ConsumerFakeBrokerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private final FakeBroker broker = new FakeBroker(Map.of("t", 2));
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        broker.close();
    }

    private void produce(TopicPartition tp, int from, int count) {
        try (CairnProducer<String, String> p = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build()) {
            for (int i = from; i < from + count; i++) {
                p.send(new ProducerRecord<>(tp.topic(), tp.partition(), "k" + i, "v" + i));
            }
            p.flush();
        }
    }

    private CairnConsumer.Builder<String, String> consumerBuilder() {
        return CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .fetchMaxWaitMs(50).retryBackoffMs(10);
    }

    private CairnConsumer<String, String> consumer(OffsetResetStrategy reset) {
        CairnConsumer<String, String> c = consumerBuilder().autoOffsetReset(reset).build();
        clients.add(c);
        return c;
    }

    private static List<String> pollValues(CairnConsumer<String, String> c, TopicPartition tp, int expected) {
        List<String> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            c.poll(Duration.ofMillis(50)).records(tp).forEach(r -> out.add(r.value()));
            return out.size() >= expected;
        });
        return out;
    }

    @Test
    void seekPositionsTheNextPoll() {
        produce(P0, 0, 100);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0));
        c.seek(P0, 90);
        assertThat(pollValues(c, P0, 10)).containsExactly("v90", "v91", "v92", "v93", "v94", "v95", "v96", "v97",
                "v98", "v99");
        assertThat(c.position(P0)).isEqualTo(100);
        c.seekToBeginning(List.of(P0));
        assertThat(c.position(P0)).isZero();
        assertThat(pollValues(c, P0, 100).get(0)).isEqualTo("v0");
    }

    @Test
    void latestResetSkipsOldRecords() {
        produce(P0, 0, 20);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.LATEST);
        c.assign(List.of(P0));
        assertThat(c.position(P0)).isEqualTo(20);
        produce(P0, 20, 5);
        assertThat(pollValues(c, P0, 5)).containsExactly("v20", "v21", "v22", "v23", "v24");
        assertThat(c.endOffsets(List.of(P0), Duration.ofSeconds(5))).containsEntry(P0, 25L);
        assertThat(c.beginningOffsets(List.of(P0), Duration.ofSeconds(5))).containsEntry(P0, 0L);
    }

    @Test
    void maxPollRecordsBoundsEachPoll() {
        produce(P0, 0, 1000);
        CairnConsumer<String, String> c = consumerBuilder().autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(100).build();
        clients.add(c);
        c.assign(List.of(P0));
        List<Integer> sizes = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(50));
            if (!rs.isEmpty()) {
                sizes.add(rs.count());
                rs.forEach(r -> offsets.add(r.offset()));
            }
            return offsets.size() >= 1000;
        });
        assertThat(sizes).allMatch(s -> s <= 100);
        for (int i = 0; i < 1000; i++) {
            assertThat(offsets.get(i)).isEqualTo(i);
        }
    }

    @Test
    void theNextFetchGoesOutWhileTheBufferedOneIsStillBeingReadAndOrderHolds() {
        for (int i = 0; i < 5; i++) {
            produce(P0, i * 100, 100); // five batches of 100 records
        }
        CairnConsumer<String, String> c = consumerBuilder().autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(10).config("max.partition.fetch.bytes", 1).build(); // one batch per fetch
        clients.add(c);
        c.assign(List.of(P0));
        List<Long> offsets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            c.poll(Duration.ofMillis(50)).forEach(r -> offsets.add(r.offset()));
            return !offsets.isEmpty();
        });
        assertThat(offsets).hasSize(10);
        // 90 records of the first fetch are still buffered, and the fetch of the second batch is out.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.fetchRequests())
                .as("fetches sent while the first is being read").isEqualTo(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            c.poll(Duration.ofMillis(50)).forEach(r -> offsets.add(r.offset()));
            return offsets.size() >= 500;
        });
        assertThat(offsets).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(offsets.get(i)).isEqualTo(i);
        }
    }

    /**
     * The fetch that follows an answer goes out from the network thread when nothing is left
     * buffered, without waiting for a poll; and none follows while fetched records wait to be read.
     */
    @Test
    void theNextFetchFollowsTheAnswerWithoutAPollAndStopsWhileRecordsAreBuffered() {
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            c.poll(Duration.ofMillis(20));
            return broker.fetchRequests() > 0;
        });
        int afterPolls = broker.fetchRequests();
        // Empty answers come back after fetch.max.wait.ms (50 ms); each is followed by the next fetch.
        await().atMost(Duration.ofSeconds(10)).alias("fetches after the last poll")
                .until(() -> broker.fetchRequests() >= afterPolls + 3);

        produce(P0, 0, 5);
        await().atMost(Duration.ofSeconds(10)).alias("the records fetched without a poll")
                .until(() -> bytesFetched(c) > 0);
        int withRecordsBuffered = broker.fetchRequests();
        // At most the follow-up of the answer that brought them, then nothing until they are read.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> broker.fetchRequests() <= withRecordsBuffered + 1);
        assertThat(c.poll(Duration.ZERO).records(P0)).extracting(ConsumerRecord::value)
                .containsExactly("v0", "v1", "v2", "v3", "v4");
        await().atMost(Duration.ofSeconds(10)).alias("fetches once the records were read")
                .until(() -> broker.fetchRequests() >= withRecordsBuffered + 3);
        assertThat(c.position(P0)).isEqualTo(5);
    }

    private static double bytesFetched(CairnConsumer<?, ?> c) {
        return c.metrics().get("cairn.client.consumer.bytes.fetched").counter().count();
    }

    @Test
    void partitionsForNamesEveryPartitionAndNoneOfATopicThatDoesNotExist() {
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);

        assertThat(c.partitionsFor("t")).containsExactly(P0, P1);
        assertThat(c.partitionsFor("missing", Duration.ofSeconds(10))).isEmpty();
    }

    /** A partition the answer carries no records for is passed over, and read once records arrive. */
    @Test
    void aPartitionWithoutRecordsInTheAnswerIsPassedOverAndReadLater() {
        produce(P1, 0, 50);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0, P1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("v" + i);
        }
        assertThat(pollValues(c, P1, 50)).containsExactlyElementsOf(expected);
        assertThat(c.position(P0)).isZero();
        produce(P0, 0, 5);
        assertThat(pollValues(c, P0, 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
        assertThat(c.position(P0)).isEqualTo(5);
        assertThat(c.position(P1)).isEqualTo(50);
    }

    @Test
    void aFetchAheadIsDroppedAfterASeek() {
        for (int i = 0; i < 3; i++) {
            produce(P0, i * 100, 100);
        }
        CairnConsumer<String, String> c = consumerBuilder().autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(10).config("max.partition.fetch.bytes", 1).build();
        clients.add(c);
        c.assign(List.of(P0));
        assertThat(pollValues(c, P0, 10)).hasSize(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.fetchRequests() >= 2);
        c.seek(P0, 5);
        assertThat(pollValues(c, P0, 10)).startsWith("v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14");
    }

    @Test
    void pausedPartitionsAreNotReturnedUntilResumed() {
        produce(P0, 0, 10);
        produce(P1, 0, 10);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0, P1));
        c.pause(List.of(P1));
        assertThat(c.paused()).containsExactly(P1);
        assertThat(pollValues(c, P0, 10)).hasSize(10);
        for (int i = 0; i < 5; i++) {
            assertThat(c.poll(Duration.ofMillis(50)).records(P1)).isEmpty();
        }
        assertThat(c.position(P1)).isZero();
        c.resume(List.of(P1));
        assertThat(pollValues(c, P1, 10)).hasSize(10);
    }

    @Test
    void wakeupEndsABlockedPoll() throws Exception {
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0));
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
            polling.countDown();
            while (true) {
                c.poll(Duration.ofSeconds(30));
            }
        });
        assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
        c.wakeup();
        assertThatThrownBy(() -> loop.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WakeupException.class);
    }

    @Test
    void concurrentUseIsRejected() throws Exception {
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0));
        CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> c.poll(Duration.ofSeconds(3)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> c.position(P0)).isInstanceOf(ConcurrentModificationException.class));
        poller.get(10, TimeUnit.SECONDS);
    }

    @Test
    void noResetStrategyRequiresASeek() {
        produce(P0, 0, 3);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.NONE);
        c.assign(List.of(P0));
        assertThatThrownBy(() -> c.poll(Duration.ofMillis(100))).isInstanceOf(NoOffsetForPartitionException.class)
                .hasMessageContaining("t-0");
        c.seek(P0, 1);
        assertThat(pollValues(c, P0, 2)).containsExactly("v1", "v2");
    }

    @Test
    void corruptBatchesAreReportedNotReturned() {
        produce(P0, 0, 10);
        broker.corruptFetches(true);
        CairnConsumer<String, String> c = consumer(OffsetResetStrategy.EARLIEST);
        c.assign(List.of(P0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(100))).isInstanceOf(CorruptRecordException.class)
                        .hasMessageContaining("t-0").hasMessageContaining("crc="));
        assertThat(c.position(P0)).as("the position stays on the bad batch").isZero();
        broker.corruptFetches(false);
        assertThat(pollValues(c, P0, 10)).hasSize(10);
    }

    @Test
    void crcChecksCanBeTurnedOff() {
        produce(P0, 0, 10);
        broker.corruptFetches(true);
        CairnConsumer<String, String> c = consumerBuilder().autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .checkCrcs(false).build();
        clients.add(c);
        c.assign(List.of(P0));
        // The fake flips the batch's last byte: the last record's header count. Without the CRC check the
        // damage is only seen when that record is parsed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> c.poll(Duration.ofMillis(100))).isInstanceOf(CorruptRecordException.class)
                        .hasMessageContaining("does not parse").hasMessageNotContaining("crc="));
    }
}
