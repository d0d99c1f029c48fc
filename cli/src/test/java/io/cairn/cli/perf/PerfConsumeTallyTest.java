package io.cairn.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cairn.client.Headers;
import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.protocol.record.TimestampType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerfConsumeTallyTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Two partitions: p0 has 3 records (key 2 B, value 10 B), p1 has 2 (null key, value 1,024 B). */
    private static ConsumerRecords<byte[], byte[]> poll() {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> grouped = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> p0 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p0.add(new ConsumerRecord<>("t", 0, i, 0, TimestampType.CREATE_TIME, new byte[2], new byte[10],
                    Headers.empty(), 2, 10));
        }
        List<ConsumerRecord<byte[], byte[]>> p1 = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            p1.add(new ConsumerRecord<>("t", 1, i, 0, TimestampType.CREATE_TIME, null, new byte[1024],
                    Headers.empty(), -1, 1024));
        }
        grouped.put(new TopicPartition("t", 0), p0);
        grouped.put(new TopicPartition("t", 1), p1);
        return new ConsumerRecords<>(grouped);
    }

    @Test
    void countsEveryRecordsKeyAndValueBytesAtThePollsLatency() {
        PerfStats stats = new PerfStats(0);

        int counted = PerfConsumeCommand.tally(poll(), 100, 3 * MS, stats);

        PerfStats.Summary s = stats.summary(1_000 * MS);
        assertThat(counted).isEqualTo(5);
        assertThat(s.records()).isEqualTo(5);
        assertThat(s.bytes()).isEqualTo(3 * 12 + 2 * 1024);
        assertThat(s.measured()).isEqualTo(5);
        assertThat(s.maxLatencyMs()).isCloseTo(3.0, within(0.01));
    }

    @Test
    void stopsAtTheLimit() {
        PerfStats stats = new PerfStats(0);

        int counted = PerfConsumeCommand.tally(poll(), 4, MS, stats);

        assertThat(counted).isEqualTo(4);
        assertThat(stats.summary(MS).bytes()).isEqualTo(3 * 12 + 1024);
        assertThat(PerfConsumeCommand.tally(ConsumerRecords.empty(), 4, MS, stats)).isZero();
        assertThat(stats.summary(2 * MS).records()).isEqualTo(4);
    }

    /**
     * As ConsumerPerformance does, the bytes are the lengths of the key and value arrays the
     * deserializer returned (so every value is read as an array), not the sizes the record states.
     */
    @Test
    void countsTheLengthsOfTheArraysTheDeserializerReturned() {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> grouped = new LinkedHashMap<>();
        grouped.put(new TopicPartition("t", 0), List.of(
                new ConsumerRecord<>("t", 0, 0, 0, TimestampType.CREATE_TIME, new byte[3], new byte[7],
                        Headers.empty(), 99, 99),
                new ConsumerRecord<>("t", 0, 1, 0, TimestampType.CREATE_TIME, null, null, Headers.empty(), 5, 5)));
        PerfStats stats = new PerfStats(0);

        assertThat(PerfConsumeCommand.tally(new ConsumerRecords<>(grouped), 10, MS, stats)).isEqualTo(2);
        assertThat(stats.summary(MS).bytes()).isEqualTo(10);
    }
}
