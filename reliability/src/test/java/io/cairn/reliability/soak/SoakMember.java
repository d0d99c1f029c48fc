package io.cairn.reliability.soak;

import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRebalanceListener;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.WakeupException;
import io.cairn.client.serialization.Serdes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One member of the soak's consumer group: subscribes to the three soak topics, records every
 * record it is given in the ledgers, commits asynchronously every second and synchronously before
 * it gives partitions up (so a partition's next owner starts exactly after the last record handed
 * out, and the group sees every offset once). Auto-commit is off.
 *
 * <p>Runs on its own thread ({@link #run}); {@link #stop} may be called from any thread.
 */
final class SoakMember implements Runnable {
    private static final long COMMIT_INTERVAL_MS = 1_000;

    private final String name;
    private final DeliveryLedger retained;
    private final DeliveryLedger compacted;
    private final Queue<Throwable> errors;
    private final CairnConsumer<String, byte[]> consumer;
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    SoakMember(String name, String bootstrap, DeliveryLedger retained, DeliveryLedger compacted, Queue<Throwable> errors) {
        this.name = name;
        this.retained = retained;
        this.compacted = compacted;
        this.errors = errors;
        this.consumer = CairnConsumer.builder()
                .bootstrapServers(bootstrap)
                .clientId(name)
                .keyDeserializer(Serdes.stringDeserializer())
                .valueDeserializer(Serdes.bytesDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .config("group.id", SoakSettings.GROUP)
                .config("enable.auto.commit", false)
                .build();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(SoakSettings.BYTES_TOPIC, SoakSettings.TIME_TOPIC, SoakSettings.COMPACTED_TOPIC),
                    new Listener());
            long nextCommit = System.currentTimeMillis() + COMMIT_INTERVAL_MS;
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    record(r);
                }
                if (System.currentTimeMillis() >= nextCommit) {
                    consumer.commitAsync();
                    nextCommit = System.currentTimeMillis() + COMMIT_INTERVAL_MS;
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll: leave below.
        } catch (RuntimeException e) {
            errors.add(new IllegalStateException("soak member " + name + " failed", e));
        } finally {
            try {
                consumer.close(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                errors.add(new IllegalStateException("soak member " + name + " failed to close", e));
            }
        }
    }

    private void record(ConsumerRecord<String, byte[]> r) {
        String partition = r.topic() + "-" + r.partition();
        if (!owned.contains(r.topicPartition())) {
            errors.add(new IllegalStateException(name + " got offset " + r.offset() + " of " + partition
                    + " which it does not own (owns " + owned.size() + " partitions)"));
        }
        if (r.topic().equals(SoakSettings.COMPACTED_TOPIC)) {
            if (r.value() == null) {
                compacted.consumedTombstone(partition, r.offset());
            } else {
                compacted.consumed(partition, r.offset(), RecordId.stream(r.value()), RecordId.sequence(r.value()));
            }
        } else {
            retained.consumed(partition, r.offset(), RecordId.stream(r.value()), RecordId.sequence(r.value()));
        }
    }

    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    String name() {
        return name;
    }

    int ownedPartitions() {
        return owned.size();
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            consumer.commitSync(Duration.ofSeconds(30));
            owned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            errors.add(new IllegalStateException(name + " lost " + partitions.size()
                    + " partitions (fenced or timed out) during a soak with no faults"));
            owned.removeAll(partitions);
        }
    }
}
