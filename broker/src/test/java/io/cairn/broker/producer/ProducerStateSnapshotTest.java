package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ProducerStateSnapshotTest {

    @Property(tries = 200)
    void roundTrips(@ForAll long logOffset, @ForAll @IntRange(max = 20) int producers,
                    @ForAll @IntRange(max = 5) int batches, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<ProducerStateSnapshot.Producer> list = new java.util.ArrayList<>();
        for (int p = 0; p < producers; p++) {
            List<BatchMetadata> b = new java.util.ArrayList<>();
            for (int i = 0; i < batches; i++) {
                b.add(new BatchMetadata(random.nextInt(), random.nextInt(), random.nextLong(), random.nextLong(),
                        random.nextLong()));
            }
            list.add(new ProducerStateSnapshot.Producer(random.nextLong(), (short) random.nextInt(), random.nextLong(), b));
        }
        ProducerStateSnapshot snapshot = new ProducerStateSnapshot(logOffset, list);
        assertThat(ProducerStateSnapshot.decode(snapshot.encode(), "t-0")).isEqualTo(snapshot);
    }

    @Test
    void truncatedSnapshotIsReportedWithItsPartition() {
        ProducerStateSnapshot snapshot = new ProducerStateSnapshot(10, List.of(new ProducerStateSnapshot.Producer(1, (short) 0,
                5, List.of(new BatchMetadata(0, 0, 9, 9, 5)))));
        byte[] bytes = snapshot.encode();
        assertThatThrownBy(() -> ProducerStateSnapshot.decode(Arrays.copyOf(bytes, bytes.length - 3), "orders-1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("orders-1").hasMessageContaining("truncated");
    }

    @Test
    void hugeProducerCountIsRejectedBeforeAllocating() {
        byte[] bytes = java.nio.ByteBuffer.allocate(ProducerStateSnapshot.HEADER_SIZE)
                .putShort(ProducerStateSnapshot.VERSION).putLong(0).putInt(Integer.MAX_VALUE).array();
        assertThatThrownBy(() -> ProducerStateSnapshot.decode(bytes, "orders-1"))
                .hasMessageContaining("producerCount=" + Integer.MAX_VALUE);
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] bytes = new ProducerStateSnapshot(0, List.of()).encode();
        bytes[1] = 9;
        assertThatThrownBy(() -> ProducerStateSnapshot.decode(bytes, "orders-1")).hasMessageContaining("version=9");
    }
}
