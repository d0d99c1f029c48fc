package io.cairn.broker.group;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static io.cairn.broker.group.OffsetReset.newOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetResetTest {

    @Test
    void eachStrategy() {
        assertThat(newOffset(OffsetReset.Spec.earliest(), 50, 10, 100, -1)).hasValue(10);
        assertThat(newOffset(OffsetReset.Spec.latest(), 50, 10, 100, -1)).hasValue(100);
        assertThat(newOffset(OffsetReset.Spec.toOffset(42), 50, 10, 100, -1)).hasValue(42);
        assertThat(newOffset(OffsetReset.Spec.toTimestamp(1_700_000_000_000L), 50, 10, 100, 77)).hasValue(77);
        assertThat(newOffset(OffsetReset.Spec.toTimestamp(1_700_000_000_000L), 50, 10, 100, -1))
                .as("no record that recent: the end").hasValue(100);
        assertThat(newOffset(OffsetReset.Spec.shiftBy(-20), 50, 10, 100, -1)).hasValue(30);
        assertThat(newOffset(OffsetReset.Spec.shiftBy(20), 50, 10, 100, -1)).hasValue(70);
        assertThat(newOffset(OffsetReset.Spec.current(), 50, 10, 100, -1)).hasValue(50);
    }

    @Test
    void resultsAreClampedToTheLog() {
        assertThat(newOffset(OffsetReset.Spec.toOffset(5), 50, 10, 100, -1)).hasValue(10);
        assertThat(newOffset(OffsetReset.Spec.toOffset(500), 50, 10, 100, -1)).hasValue(100);
        assertThat(newOffset(OffsetReset.Spec.shiftBy(-1000), 50, 10, 100, -1)).hasValue(10);
        assertThat(newOffset(OffsetReset.Spec.shiftBy(Long.MAX_VALUE), 50, 10, 100, -1)).hasValue(100);
        assertThat(newOffset(OffsetReset.Spec.shiftBy(Long.MIN_VALUE), 50, 10, 100, -1)).hasValue(10);
        assertThat(newOffset(OffsetReset.Spec.current(), 3, 10, 100, -1)).as("committed before the log start")
                .hasValue(10);
    }

    @Test
    void shiftingWithoutACommittedOffsetHasNoAnswer() {
        assertThat(newOffset(OffsetReset.Spec.shiftBy(5), -1, 10, 100, -1)).isEqualTo(OptionalLong.empty());
        assertThat(newOffset(OffsetReset.Spec.current(), -1, 10, 100, -1)).isEqualTo(OptionalLong.empty());
        assertThatThrownBy(() -> newOffset(OffsetReset.Spec.earliest(), 1, 10, 5, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earliest=10 latest=5");
    }

    @Property
    void alwaysWithinTheLog(@ForAll @LongRange(min = -5, max = 1000) long committed,
                            @ForAll @LongRange(min = 0, max = 500) long earliest,
                            @ForAll @LongRange(min = 0, max = 500) long extra,
                            @ForAll long value, @ForAll @LongRange(min = -1, max = 2000) long forTimestamp) {
        long latest = earliest + extra;
        for (OffsetReset.Strategy strategy : OffsetReset.Strategy.values()) {
            OptionalLong result = newOffset(new OffsetReset.Spec(strategy, value), committed, earliest, latest, forTimestamp);
            result.ifPresent(offset -> assertThat(offset).isBetween(earliest, latest));
        }
    }

    @Test
    void lagIsEndMinusCommitted() {
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        TopicPartition gone = new TopicPartition("gone", 0);
        Map<TopicPartition, Long> lags = GroupLag.lags(Map.of(p0, new CommittedOffset(40, -1, "", 1),
                        p1, new CommittedOffset(90, -1, "", 1), gone, new CommittedOffset(1, -1, "", 1)),
                tp -> tp.topic().equals("gone") ? -1 : 80);
        assertThat(lags).containsExactly(Map.entry(p0, 40L), Map.entry(p1, 0L));
        assertThat(GroupLag.lag(-1, 10)).isEqualTo(-1);
    }
}
