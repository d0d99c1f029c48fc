package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultPartitionerTest {
    private final DefaultPartitioner partitioner = new DefaultPartitioner(1000);

    @Test
    void keyedRecordsFollowMurmur2() {
        for (int i = 0; i < 1000; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            int expected = (Murmur2Test.reference(key) & 0x7fffffff) % 7;
            assertThat(partitioner.partition("t", null, key, null, new byte[10], 7)).isEqualTo(expected);
        }
    }

    @Test
    void unkeyedRecordsStickUntilAboutBatchSizeBytes() {
        byte[] value = new byte[84]; // + 16 bytes estimated overhead = 100 bytes per record
        int first = partitioner.partition("t", null, null, null, value, 6);
        for (int i = 1; i < 10; i++) {
            assertThat(partitioner.partition("t", null, null, null, value, 6)).as("record %d", i).isEqualTo(first);
        }
        int next = partitioner.partition("t", null, null, null, value, 6);
        assertThat(next).isNotEqualTo(first).isBetween(0, 5);
    }

    @Test
    void unkeyedRecordsEventuallyUseEveryPartition() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(partitioner.partition("t", null, null, null, new byte[200], 4));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void stickyPartitionIsPerTopicAndValidAfterShrinking() {
        int p = partitioner.partition("a", null, null, null, new byte[1], 100);
        assertThat(partitioner.partition("b", null, null, null, new byte[1], 1)).isZero();
        assertThat(partitioner.partition("a", null, null, null, new byte[1], 100)).isEqualTo(p);
        assertThat(partitioner.partition("a", null, null, null, new byte[1], 1)).isZero();
    }

    @Test
    void roundRobinVisitsEveryPartitionInTurn() {
        RoundRobinPartitioner rr = new RoundRobinPartitioner();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(rr.partition("t", "k", new byte[1], null, null, 3), 1, Integer::sum);
        }
        assertThat(counts).containsOnly(Map.entry(0, 10), Map.entry(1, 10), Map.entry(2, 10));
    }
}
