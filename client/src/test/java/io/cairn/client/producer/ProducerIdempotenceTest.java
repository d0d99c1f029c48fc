package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.RecordBatchBuilder;
import org.junit.jupiter.api.Test;

class ProducerIdempotenceTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final ProducerIdempotence idem = new ProducerIdempotence();

    private static ProducerBatch batch(int records) {
        ProducerBatch b = new ProducerBatch(TP, new RecordBatchBuilder(1024), 1 << 20, 1024, 0, 8);
        for (int i = 0; i < records; i++) {
            b.tryAppend(i, null, new byte[] {1}, null, null);
        }
        return b;
    }

    @Test
    void nothingIsAdmittedWithoutAProducerId() {
        assertThat(idem.admit(batch(1))).isFalse();
        idem.setProducerId(7, (short) 0);
        assertThat(idem.admit(batch(1))).isTrue();
    }

    @Test
    void firstBatchOfAPartitionTravelsAloneThenBatchesPipeline() {
        idem.setProducerId(7, (short) 0);
        ProducerBatch b1 = batch(3);
        assertThat(idem.admit(b1)).isTrue();
        assertThat(b1.baseSequence).isZero();
        assertThat(b1.producerId).isEqualTo(7);
        idem.onSent(b1);
        ProducerBatch b2 = batch(2);
        assertThat(idem.admit(b2)).as("broker does not know the producer yet").isFalse();
        assertThat(b2.hasSequence()).isFalse();
        idem.onAcked(b1);
        assertThat(idem.admit(b2)).isTrue();
        assertThat(b2.baseSequence).isEqualTo(3);
        idem.onSent(b2);
        ProducerBatch b3 = batch(1);
        assertThat(idem.admit(b3)).as("pipelined behind b2").isTrue();
        assertThat(b3.baseSequence).isEqualTo(5);
    }

    @Test
    void retriesWaitUntilNothingOfThePartitionIsInFlight() {
        idem.setProducerId(7, (short) 0);
        ProducerBatch b1 = batch(1);
        idem.admit(b1);
        idem.onSent(b1);
        idem.onAcked(b1);
        ProducerBatch b2 = batch(1);
        ProducerBatch b3 = batch(1);
        idem.admit(b2);
        idem.onSent(b2);
        idem.admit(b3);
        idem.onSent(b3);
        idem.onNotAcked(b2); // b2 failed; b3 still in flight
        assertThat(idem.outOfOrderIsRetriable(b3)).as("b3's gap is b2, which will be retried").isTrue();
        assertThat(idem.admit(b2)).as("b3 still in flight").isFalse();
        idem.onNotAcked(b3);
        assertThat(idem.admit(b2)).isTrue();
        assertThat(b2.baseSequence).as("a retry keeps its sequence").isEqualTo(1);
        assertThat(idem.outOfOrderIsRetriable(b2)).as("b2 is next in line: a gap there is real").isFalse();
    }

    @Test
    void aNewProducerIdRestartsSequences() {
        idem.setProducerId(7, (short) 0);
        ProducerBatch b1 = batch(4);
        idem.admit(b1);
        idem.requestReset();
        assertThat(idem.hasProducerId()).isFalse();
        idem.setProducerId(8, (short) 0);
        idem.restamp(b1);
        assertThat(b1.baseSequence).isZero();
        assertThat(b1.producerId).isEqualTo(8);
        ProducerBatch b2 = batch(1);
        idem.onSent(b1);
        idem.onAcked(b1);
        idem.admit(b2);
        assertThat(b2.baseSequence).isEqualTo(4);
    }

    @Test
    void sequencesWrapLikeKafkas() {
        assertThat(ProducerIdempotence.increment(Integer.MAX_VALUE - 1, 1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(ProducerIdempotence.increment(Integer.MAX_VALUE, 1)).isZero();
        assertThat(ProducerIdempotence.increment(Integer.MAX_VALUE - 2, 5)).isEqualTo(2);
    }

    @Test
    void freshBatchesFollowAFreshHeadWithConsecutiveSequences() {
        idem.setProducerId(7, (short) 0);
        ProducerBatch head = batch(3);
        ProducerBatch second = batch(2);
        ProducerBatch third = batch(4);
        assertThat(idem.admit(head)).isTrue();
        assertThat(idem.admitNext(head, second)).as("first request of the partition may carry several").isTrue();
        assertThat(idem.admitNext(second, third)).isTrue();
        assertThat(second.baseSequence).isEqualTo(3);
        assertThat(third.baseSequence).isEqualTo(5);
        assertThat(third.producerId).isEqualTo(7);
        ProducerBatch fourth = batch(1);
        assertThat(idem.admitNext(head, fourth)).as("only right behind the batch stamped last").isFalse();
        assertThat(fourth.hasSequence()).isFalse();
    }

    @Test
    void noBatchFollowsARetriedOne() {
        idem.setProducerId(7, (short) 0);
        ProducerBatch b1 = batch(1);
        idem.admit(b1);
        idem.onSent(b1);
        b1.everSent = true;
        idem.onNotAcked(b1);
        b1.attempts = 1;
        assertThat(idem.admit(b1)).as("nothing of the partition in flight").isTrue();
        ProducerBatch fresh = batch(1);
        assertThat(idem.admitNext(b1, fresh)).as("retries travel alone").isFalse();
        assertThat(fresh.hasSequence()).isFalse();
    }
}
