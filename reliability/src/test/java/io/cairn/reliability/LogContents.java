package io.cairn.reliability;

import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.serialization.Serdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A whole topic read from its first offset to its end offset with a plain (group-less) consumer:
 * partition → offset → record value.
 */
final class LogContents {
    private final Map<Integer, NavigableMap<Long, String>> partitions;

    private LogContents(Map<Integer, NavigableMap<Long, String>> partitions) {
        this.partitions = partitions;
    }

    static LogContents read(String bootstrap, String topic, int partitionCount, Duration timeout) {
        List<TopicPartition> tps = new ArrayList<>();
        Map<Integer, NavigableMap<Long, String>> contents = new HashMap<>();
        for (int p = 0; p < partitionCount; p++) {
            tps.add(new TopicPartition(topic, p));
            contents.put(p, new TreeMap<>());
        }
        try (CairnConsumer<String, String> consumer = CairnConsumer.builder()
                .bootstrapServers(bootstrap)
                .keyDeserializer(Serdes.stringDeserializer())
                .valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .maxPollRecords(5000)
                .build()) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, tps, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + ends + " within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    String previous = contents.get(r.partition()).put(r.offset(), r.value());
                    if (previous != null) {
                        throw new AssertionError("offset " + r.offset() + " of " + topic + "-" + r.partition()
                            + " returned twice by one read");
                    }
                }
            }
        }
        return new LogContents(contents);
    }

    private static boolean caughtUp(CairnConsumer<String, String> consumer, List<TopicPartition> tps,
                                    Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : tps) {
            if (consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    NavigableMap<Long, String> partition(int p) {
        return partitions.get(p);
    }

    Map<Integer, NavigableMap<Long, String>> partitions() {
        return partitions;
    }

    long recordCount() {
        return partitions.values().stream().mapToLong(Map::size).sum();
    }
}
