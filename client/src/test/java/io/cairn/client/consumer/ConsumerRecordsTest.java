package io.cairn.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.Headers;
import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.TimestampType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ConsumerRecordsTest {

    private static ConsumerRecord<String, String> record(TopicPartition tp, long offset) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0, TimestampType.CREATE_TIME, null,
                "v" + offset, Headers.empty(), -1, 2);
    }

    /** Partitions with these record counts (0 = an empty list), offsets 0.. in each. */
    private static Map<TopicPartition, List<ConsumerRecord<String, String>>> grouped(List<Integer> counts) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> out = new LinkedHashMap<>();
        for (int p = 0; p < counts.size(); p++) {
            TopicPartition tp = new TopicPartition("t", p);
            List<ConsumerRecord<String, String>> list = new ArrayList<>();
            for (int o = 0; o < counts.get(p); o++) {
                list.add(record(tp, o));
            }
            out.put(tp, list);
        }
        return out;
    }

    @Property(tries = 200)
    void iterationVisitsPartitionAfterPartitionInOffsetOrder(
            @ForAll @Size(max = 6) List<@IntRange(max = 5) Integer> counts) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> grouped = grouped(counts);
        List<ConsumerRecord<String, String>> expected = new ArrayList<>();
        grouped.values().forEach(expected::addAll);

        ConsumerRecords<String, String> records = new ConsumerRecords<>(grouped);
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            seen.add(r);
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(records.count()).isEqualTo(expected.size());
        assertThat(records.isEmpty()).isEqualTo(expected.isEmpty());
    }

    @Test
    void iteratorSkipsEmptyPartitionsAndEndsWithNoSuchElement() {
        ConsumerRecords<String, String> records = new ConsumerRecords<>(grouped(List.of(0, 2, 0, 1, 0)));
        Iterator<ConsumerRecord<String, String>> it = records.iterator();

        assertThat(it.hasNext()).isTrue();
        assertThat(it.hasNext()).isTrue(); // asking twice does not skip a record
        assertThat(it.next()).isEqualTo(record(new TopicPartition("t", 1), 0));
        assertThat(it.next()).isEqualTo(record(new TopicPartition("t", 1), 1));
        assertThat(it.next()).isEqualTo(record(new TopicPartition("t", 3), 0));
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(ConsumerRecords.<String, String>empty().iterator().hasNext()).isFalse();
    }
}
