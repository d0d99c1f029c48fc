package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProducerIdManagerTest {
    @Test
    void idsAreUniqueAndOneWriteServesABlock() {
        MemoryProducerIdStore store = new MemoryProducerIdStore();
        ProducerIdManager manager = new ProducerIdManager(store, 10);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            assertThat(ids.add(manager.nextProducerId())).isTrue();
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, 25).boxed().toList());
        assertThat(store.writes()).isEqualTo(3);
        assertThat(store.value()).isEqualTo(30);
    }

    @Test
    void restartSkipsTheRestOfTheReservedBlock() {
        MemoryProducerIdStore store = new MemoryProducerIdStore();
        ProducerIdManager before = new ProducerIdManager(store, 100);
        long first = before.nextProducerId();
        long second = before.nextProducerId();
        ProducerIdManager after = new ProducerIdManager(store, 100);
        long third = after.nextProducerId();
        assertThat(third).isGreaterThan(second).isGreaterThan(first).isEqualTo(100L);
    }
}
