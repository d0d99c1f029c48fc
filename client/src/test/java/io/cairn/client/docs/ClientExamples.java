package io.cairn.client.docs;

import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.producer.RecordMetadata;
import io.cairn.client.serialization.Serdes;
import io.cairn.protocol.record.CompressionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The producer and consumer examples of {@code docs/client.md}. The code between the tag comments is
 * copied into the document verbatim; {@link DocExamplesTest} checks the copy and runs the examples.
 */
final class ClientExamples {
    private ClientExamples() {
    }

    /** Sends {@code count} orders keyed by customer and returns where the last one was stored. */
    static RecordMetadata produce(String bootstrap, int count) {
        // tag::producer[]
        try (CairnProducer<String, String> producer = CairnProducer.builder()
                .bootstrapServers(bootstrap)
                .keySerializer(Serdes.stringSerializer())
                .valueSerializer(Serdes.stringSerializer())
                .lingerMs(5)
                .compressionType(CompressionType.LZ4)
                .build()) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String customer = "customer-" + (i % 10);
                acks.add(producer.send(new ProducerRecord<>("orders", customer, "order " + i)));
            }
            producer.flush();
            // Each future holds where its record was stored, or why it was not.
            return acks.get(acks.size() - 1).join();
        }
        // end::producer[]
    }

    /** Reads partition 0 of "orders" from the beginning until {@code expected} records came. */
    static List<String> consume(String bootstrap, int expected) {
        // tag::consumer[]
        List<String> seen = new ArrayList<>();
        try (CairnConsumer<String, String> consumer = CairnConsumer.builder()
                .bootstrapServers(bootstrap)
                .keyDeserializer(Serdes.stringDeserializer())
                .valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .build()) {
            TopicPartition partition = new TopicPartition("orders", 0);
            consumer.assign(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < expected && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    seen.add(record.offset() + " " + record.key() + " " + record.value());
                }
            }
        }
        // end::consumer[]
        return seen;
    }
}
