package io.cairn.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.producer.SequenceCheck.Outcome;
import org.junit.jupiter.api.Test;

class ProducerStateManagerTest {
    private static final long PID = 42L;
    private final ProducerStateManager state = new ProducerStateManager("orders-3");

    /** Appends a batch of {@code count} records at the next offsets, as the writer would. */
    private long nextOffset;

    private SequenceCheck append(short epoch, int firstSeq, int count) {
        int lastSeq = firstSeq + count - 1;
        SequenceCheck check = state.check(PID, epoch, firstSeq, lastSeq);
        if (check.outcome() == Outcome.ACCEPT) {
            state.record(PID, epoch, firstSeq, lastSeq, nextOffset, nextOffset + count - 1, 1000L);
            nextOffset += count;
        }
        return check;
    }

    @Test
    void unknownProducerStartingAtZeroIsAccepted() {
        assertThat(append((short) 0, 0, 3).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.entry(PID).lastSeq()).isEqualTo(2);
        assertThat(state.entry(PID).epoch()).isEqualTo((short) 0);
    }

    @Test
    void unknownProducerAtAnySequenceIsAcceptedAsAfterExpiry() {
        assertThat(append((short) 3, 77, 1).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.entry(PID).lastSeq()).isEqualTo(77);
    }

    @Test
    void nextBatchInSequenceIsAccepted() {
        append((short) 0, 0, 3);
        assertThat(append((short) 0, 3, 2).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.entry(PID).batches()).extracting(BatchMetadata::firstOffset).containsExactly(0L, 3L);
    }

    @Test
    void gapIsOutOfOrderAndNamesPartitionAndSequences() {
        append((short) 0, 0, 3);
        SequenceCheck check = append((short) 0, 5, 1);
        assertThat(check.outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(check.message()).contains("orders-3", "producer 42", "expected sequence 3", "5..5");
        assertThat(state.entry(PID).lastSeq()).isEqualTo(2);
    }

    @Test
    void duplicateOfAnyOfTheLastFiveIsAnsweredWithOriginalOffsets() {
        for (int i = 0; i < 6; i++) {
            append((short) 0, i * 2, 2);
        }
        // batches 1..5 (seq 2..11) are remembered, batch 0 (seq 0..1) fell out of the window
        for (int i = 1; i < 6; i++) {
            SequenceCheck check = state.check(PID, (short) 0, i * 2, i * 2 + 1);
            assertThat(check.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(check.duplicateOf().firstOffset()).isEqualTo(i * 2L);
            assertThat(check.duplicateOf().lastOffset()).isEqualTo(i * 2L + 1);
        }
        assertThat(state.check(PID, (short) 0, 0, 1).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(state.entry(PID).batches()).hasSize(ProducerStateEntry.MAX_BATCHES);
    }

    @Test
    void theBatchesOfOneAppendCountAsOneInTheWindow() {
        long offset = 0;
        int seq = 0;
        for (int append = 0; append < ProducerStateEntry.MAX_BATCHES + 1; append++) {
            for (int i = 0; i < 3; i++) {
                state.record(PID, (short) 0, seq, seq + 1, offset, offset + 1, 1000L, i > 0);
                seq += 2;
                offset += 2;
            }
        }
        // the first append (seq 0..5) fell out of the window; every batch of the five after it is remembered
        assertThat(state.entry(PID).batches()).hasSize(3 * ProducerStateEntry.MAX_BATCHES);
        assertThat(state.check(PID, (short) 0, 4, 5).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        for (int s = 6; s < seq; s += 2) {
            SequenceCheck check = state.check(PID, (short) 0, s, s + 1);
            assertThat(check.outcome()).as("sequence %d", s).isEqualTo(Outcome.DUPLICATE);
            assertThat(check.duplicateOf().firstOffset()).isEqualTo(s);
        }
        // a range across two batches of one append is no batch that was sent
        assertThat(state.check(PID, (short) 0, 6, 9).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void rememberedBatchesAreCappedWhateverTheAppendsHeld() {
        for (int seq = 0; seq < ProducerStateEntry.MAX_REMEMBERED_BATCHES + 10; seq++) {
            state.record(PID, (short) 0, seq, seq, seq, seq, 1000L, seq > 0);
        }
        assertThat(state.entry(PID).batches()).hasSize(ProducerStateEntry.MAX_REMEMBERED_BATCHES);
        assertThat(state.check(PID, (short) 0, 9, 9).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(state.check(PID, (short) 0, 10, 10).outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void replayedBatchesThatContinueEachOtherCountAsOneAppend() {
        long offset = 0;
        for (int seq = 0; seq < 20; seq++) {
            state.recordReplayed(PID, (short) 0, seq, seq, offset, offset, 1000L);
            offset += seq % 4 == 3 ? 2 : 1; // another producer's record after every fourth batch
        }
        // five runs of four batches: all twenty are remembered
        assertThat(state.entry(PID).batches()).hasSize(20);
        assertThat(state.check(PID, (short) 0, 0, 0).duplicateOf().firstOffset()).isZero();
        state.recordReplayed(PID, (short) 0, 21, 21, offset, offset, 1000L); // a gap: a new run pushes out the first
        assertThat(state.check(PID, (short) 0, 0, 0).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(state.check(PID, (short) 0, 4, 4).duplicateOf().firstOffset()).isEqualTo(5);
    }

    @Test
    void snapshotOfAppendsOfSeveralBatchesRestoresEveryBatch() {
        long offset = 0;
        int seq = 0;
        for (int append = 0; append < ProducerStateEntry.MAX_BATCHES; append++) {
            for (int i = 0; i < 4; i++) {
                state.record(PID, (short) 0, seq, seq, offset++, offset - 1, 1000L, i > 0);
                seq++;
            }
            offset++; // another producer between appends
        }
        ProducerStateManager restored = new ProducerStateManager("orders-3");
        restored.restore(state.snapshot(offset));
        assertThat(restored.entry(PID).batches()).isEqualTo(state.entry(PID).batches());
        for (int s = 0; s < seq; s++) {
            assertThat(restored.check(PID, (short) 0, s, s).outcome()).as("sequence %d", s).isEqualTo(Outcome.DUPLICATE);
        }
    }

    @Test
    void sameStartButDifferentRangeIsNotADuplicate() {
        append((short) 0, 0, 3);
        assertThat(state.check(PID, (short) 0, 0, 1).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void olderEpochIsFenced() {
        append((short) 2, 0, 1);
        SequenceCheck check = append((short) 1, 1, 1);
        assertThat(check.outcome()).isEqualTo(Outcome.INVALID_PRODUCER_EPOCH);
        assertThat(check.message()).contains("epoch 1", "current epoch 2");
    }

    @Test
    void newerEpochMustStartAtZeroAndForgetsOldBatches() {
        append((short) 0, 0, 5);
        assertThat(append((short) 1, 5, 1).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(append((short) 1, 0, 2).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.entry(PID).epoch()).isEqualTo((short) 1);
        assertThat(state.entry(PID).batches()).hasSize(1);
        // the old epoch's batch is no duplicate any more: the epoch is stale
        assertThat(state.check(PID, (short) 0, 0, 4).outcome()).isEqualTo(Outcome.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void sequenceWrapsFromMaxValueToZero() {
        append((short) 0, Integer.MAX_VALUE - 1, 2);
        assertThat(state.entry(PID).lastSeq()).isEqualTo(Integer.MAX_VALUE);
        assertThat(state.check(PID, (short) 0, 0, 0).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.check(PID, (short) 0, 1, 1).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
    }

    @Test
    void producersAreIndependent() {
        append((short) 0, 0, 1);
        assertThat(state.check(7L, (short) 0, 0, 0).outcome()).isEqualTo(Outcome.ACCEPT);
        state.record(7L, (short) 0, 0, 0, 10, 10, 1000L);
        assertThat(state.check(PID, (short) 0, 1, 1).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(state.producerCount()).isEqualTo(2);
    }

    @Test
    void idleProducersExpire() {
        state.record(1L, (short) 0, 0, 0, 0, 0, 1_000L);
        state.record(2L, (short) 0, 0, 0, 1, 1, 5_000L);
        assertThat(state.removeExpired(10_000L, 6_000L)).isEqualTo(1);
        assertThat(state.entry(1L)).isNull();
        assertThat(state.entry(2L)).isNotNull();
    }

    @Test
    void snapshotRestoresTheSameVerdicts() {
        for (int i = 0; i < 7; i++) {
            append((short) 4, i, 1);
        }
        state.record(9L, (short) 1, 100, 104, 50, 54, 2000L);
        ProducerStateSnapshot snapshot = ProducerStateSnapshot.decode(state.snapshot(nextOffset).encode(), "orders-3");
        assertThat(snapshot.logOffset()).isEqualTo(nextOffset);

        ProducerStateManager restored = new ProducerStateManager("orders-3");
        restored.restore(snapshot);
        assertThat(restored.entry(PID).batches()).isEqualTo(state.entry(PID).batches());
        assertThat(restored.entry(PID).lastUpdateMs()).isEqualTo(state.entry(PID).lastUpdateMs());
        assertThat(restored.check(PID, (short) 4, 6, 6).duplicateOf().firstOffset()).isEqualTo(6L);
        assertThat(restored.check(PID, (short) 4, 7, 7).outcome()).isEqualTo(Outcome.ACCEPT);
        assertThat(restored.check(PID, (short) 4, 9, 9).outcome()).isEqualTo(Outcome.OUT_OF_ORDER_SEQUENCE);
        assertThat(restored.check(9L, (short) 0, 0, 0).outcome()).isEqualTo(Outcome.INVALID_PRODUCER_EPOCH);
    }
}
