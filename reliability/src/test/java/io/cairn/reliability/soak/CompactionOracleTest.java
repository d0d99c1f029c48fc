package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionOracleTest {
    private final CompactionOracle oracle = new CompactionOracle(3);

    private static CompactionOracle.LogRecord value(int key, long offset, int stream, long seq) {
        return new CompactionOracle.LogRecord(CompactionOracle.key(key), offset, RecordId.encode(stream, seq, 32));
    }

    private static CompactionOracle.LogRecord tombstone(int key, long offset) {
        return new CompactionOracle.LogRecord(CompactionOracle.key(key), offset, null);
    }

    @Test
    void theWriteWithTheHighestOffsetIsExpectedWhateverOrderAcknowledgementsArrive() {
        oracle.acked(0, 7, 2, 70, false);
        oracle.acked(0, 3, 1, 30, false);
        oracle.acked(1, 4, 1, 40, false);
        oracle.acked(1, 9, 2, 90, true);
        CompactionOracle.Verdict v = oracle.check(List.of(value(0, 7, 2, 70),
                new CompactionOracle.LogRecord("filler-0", 12, new byte[10])));
        assertThat(v.valuesCorrect()).as(v.toString()).isTrue();
        assertThat(v.compacted()).isTrue();
        assertThat(v.expectedLiveKeys()).isEqualTo(1);
        assertThat(v.recordsInLog()).isEqualTo(1);
    }

    @Test
    void anOlderValueLeftAsTheNewestIsWrong() {
        oracle.acked(0, 3, 1, 30, false);
        oracle.acked(0, 7, 2, 70, false);
        CompactionOracle.Verdict v = oracle.check(List.of(value(0, 3, 1, 30)));
        assertThat(v.wrongValue()).isEqualTo(1);
        assertThat(v.valuesCorrect()).isFalse();
    }

    @Test
    void aMissingLiveKeyAndAResurrectedTombstonedKeyAreReported() {
        oracle.acked(0, 3, 1, 30, false);
        oracle.acked(1, 5, 1, 50, false);
        oracle.acked(1, 8, 1, 80, true);
        CompactionOracle.Verdict v = oracle.check(List.of(value(1, 5, 1, 50)));
        assertThat(v.missing()).isEqualTo(1);
        assertThat(v.shouldBeGone()).isEqualTo(1);
    }

    @Test
    void leftoverCopiesAndTombstonesMeanCompactionIsNotDone() {
        oracle.acked(0, 3, 1, 30, false);
        oracle.acked(0, 7, 2, 70, false);
        oracle.acked(1, 8, 1, 80, true);
        CompactionOracle.Verdict v = oracle.check(List.of(value(0, 3, 1, 30), value(0, 7, 2, 70), tombstone(1, 8)));
        assertThat(v.valuesCorrect()).as("the newest records are right").isTrue();
        assertThat(v.duplicateCopies()).isEqualTo(1);
        assertThat(v.tombstonesLeft()).isEqualTo(1);
        assertThat(v.compacted()).isFalse();
    }
}
