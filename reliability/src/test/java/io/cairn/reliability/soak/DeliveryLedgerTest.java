package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    private final DeliveryLedger ledger = new DeliveryLedger();

    @Test
    void everyAcknowledgedRecordConsumedOnceIsClean() {
        for (long seq = 0; seq < 10; seq++) {
            ledger.acked(1, seq);
            ledger.consumed("t-0", seq, 1, seq);
        }
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(4, 10)));
        assertThat(v.clean()).as(v.toString()).isTrue();
        assertThat(v.acked()).isEqualTo(10);
        assertThat(v.consumed()).isEqualTo(10);
    }

    @Test
    void anAcknowledgedRecordNeverConsumedIsLostWhenRetentionDoesNotExplainIt() {
        for (long seq = 0; seq < 10; seq++) {
            ledger.acked(1, seq);
            if (seq != 3) {
                ledger.consumed("t-0", seq < 3 ? seq : seq - 1, 1, seq);
            }
        }
        // the log holds 9 records (offsets 0..8), all consumed: id 3 was acknowledged but never appended
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(0, 9)));
        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.skippedByRetention()).isZero();
        assertThat(v.clean()).isFalse();
    }

    @Test
    void offsetsRetentionDeletedBeforeTheGroupReadThemAreSkippedNotLost() {
        for (long seq = 0; seq < 10; seq++) {
            ledger.acked(1, seq);
            if (seq >= 4) {
                ledger.consumed("t-0", seq, 1, seq);
            }
        }
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(4, 10)));
        assertThat(v.ackedNotConsumed()).isEqualTo(4);
        assertThat(v.skippedByRetention()).isEqualTo(4);
        assertThat(v.lost()).isZero();
        assertThat(v.clean()).as("the group fell behind retention").isFalse();
    }

    @Test
    void theSameOffsetTwiceIsADeliveryDuplicateAndTheSameIdAtTwoOffsetsALogDuplicate() {
        ledger.acked(1, 0);
        ledger.acked(1, 1);
        ledger.consumed("t-0", 0, 1, 0);
        ledger.consumed("t-0", 0, 1, 0);
        ledger.consumed("t-0", 1, 1, 1);
        ledger.consumed("t-0", 2, 1, 1);
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(0, 3)));
        assertThat(v.deliveryDuplicates()).isEqualTo(1);
        assertThat(v.logDuplicates()).isEqualTo(1);
        assertThat(v.duplicates()).isEqualTo(2);
        assertThat(v.lost()).isZero();
    }

    @Test
    void offsetsStillInTheLogButNeverConsumedMeanTheGroupDidNotFinish() {
        ledger.acked(1, 0);
        ledger.acked(1, 1);
        ledger.consumed("t-0", 0, 1, 0);
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(0, 2)));
        assertThat(v.unconsumedInLog()).isEqualTo(1);
        assertThat(v.unfinishedPartitions()).containsExactly("t-0 (1 of [0, 2))");
        assertThat(v.lost()).isEqualTo(1);
    }

    @Test
    void aConsumedRecordThatWasNeverAcknowledgedIsReported() {
        ledger.acked(1, 0);
        ledger.consumed("t-0", 0, 1, 0);
        ledger.consumed("t-0", 1, 1, 1);
        DeliveryLedger.Verdict v = ledger.verdict(Map.of("t-0", new DeliveryLedger.LogBounds(0, 2)));
        assertThat(v.consumedNotAcked()).isEqualTo(1);
        assertThat(v.clean()).isFalse();
    }

    @Test
    void tombstonesCountOnlyTheirOffsets() {
        ledger.consumedTombstone("c-0", 5);
        ledger.consumedTombstone("c-0", 5);
        assertThat(ledger.deliveryDuplicates()).isEqualTo(1);
        assertThat(ledger.nextOffsetConsumed("c-0")).isEqualTo(6);
    }
}
