package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which partitions a fetch carries and how long the broker may hold it, against a real broker's
 * long poll (the fake broker caps its waits, so it cannot show a fetch held for fetch.max.wait.ms).
 */
class FetchSelectionIntegrationTest {
    private static final String TOPIC = "t";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    /** Far longer than the test waits for anything: a fetch held this long fails the test. */
    private static final int LONG_POLL_MS = 60_000;

    @TempDir
    Path dataDir;
    private EmbeddedBroker broker;
    private CairnProducer<String, String> producer;
    private CairnConsumer<String, String> consumer;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir);
        broker.createTopic(TOPIC, 2);
        producer = CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer()).build();
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        producer.close();
        broker.close();
    }

    private void produce(TopicPartition tp, int from, int count) {
        for (int i = from; i < from + count; i++) {
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "k" + i, "v" + i));
        }
        producer.flush();
    }

    /**
     * A partition whose fetched records are not all read yet is left out of the next fetch; that
     * fetch must not then long-poll the other partitions, or the left-out partition's new records
     * wait until it expires.
     */
    @Test
    void recordsOfAPartitionLeftOutBecauseOfBufferedDataDoNotWaitForTheLongPollOfTheOthers() {
        produce(P0, 0, 20);
        produce(P1, 0, 20);
        consumer = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST).maxPollRecords(10)
                .fetchMaxWaitMs(LONG_POLL_MS).config("request.timeout.ms", 2 * LONG_POLL_MS).build();
        consumer.assign(List.of(P0, P1));
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        // One fetch brings both partitions' 20 records, read 10 per poll: while the second partition's
        // are read, the first one (drained) is fetched alone and the second is left out.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            return received.size() >= 40;
        });
        assertThat(received).hasSize(40);
        TopicPartition readLast = new TopicPartition(TOPIC, received.get(39).partition());

        produce(readLast, 20, 5);
        await().atMost(Duration.ofSeconds(15))
                .alias("records 20-24 of " + readLast + " while a fetch of the other partition alone may be held "
                        + LONG_POLL_MS + " ms")
                .until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                    return received.size() >= 45;
                });
        assertThat(received.subList(40, 45)).extracting(ConsumerRecord::offset).containsExactly(20L, 21L, 22L, 23L, 24L);
    }
}
