package io.cairn.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.cli.groups.OffsetResetPlan.PartitionOffsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class OffsetResetPlanTest {
    private static final PartitionOffsets P = new PartitionOffsets(OptionalLong.of(40), 10, 100, OptionalLong.empty());

    @Test
    void earliestAndLatestAreTheLogBounds() {
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.Earliest(), P)).isEqualTo(10);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.Latest(), P)).isEqualTo(100);
    }

    @Test
    void aFixedOffsetIsClampedToTheLog() {
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ToOffset(55), P)).isEqualTo(55);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ToOffset(3), P)).isEqualTo(10);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ToOffset(1_000), P)).isEqualTo(100);
    }

    @Test
    void shiftMovesFromTheCommittedOffsetOrTheLogEndWhenThereIsNone() {
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ShiftBy(-5), P)).isEqualTo(35);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ShiftBy(-500), P)).isEqualTo(10);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ShiftBy(Long.MAX_VALUE), P)).isEqualTo(100);
        PartitionOffsets uncommitted = new PartitionOffsets(OptionalLong.empty(), 10, 100, OptionalLong.empty());
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ShiftBy(-20), uncommitted)).isEqualTo(80);
    }

    @Test
    void datetimeUsesTheLookedUpOffsetElseTheLogEnd() {
        PartitionOffsets found = new PartitionOffsets(OptionalLong.of(40), 10, 100, OptionalLong.of(70));
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ToDatetime(0), found)).isEqualTo(70);
        assertThat(OffsetResetPlan.newOffset(new ResetTarget.ToDatetime(0), P)).isEqualTo(100);
    }

    @Property(tries = 500)
    void everyTargetLandsInsideTheLog(@ForAll @LongRange(min = 0, max = 1_000) long start,
                                      @ForAll @LongRange(min = 0, max = 1_000) long length,
                                      @ForAll long value) {
        PartitionOffsets p = new PartitionOffsets(OptionalLong.of(value), start, start + length, OptionalLong.of(value));
        for (ResetTarget t : new ResetTarget[] {new ResetTarget.ToOffset(value), new ResetTarget.ShiftBy(value),
                new ResetTarget.ToDatetime(value), new ResetTarget.Earliest(), new ResetTarget.Latest()}) {
            assertThat(OffsetResetPlan.newOffset(t, p)).as("%s", t).isBetween(start, start + length);
        }
    }

    @Test
    void datetimesParseWithAnOffsetOrInTheGivenZone() {
        ZoneId plusTwo = ZoneOffset.ofHours(2);
        assertThat(ResetTarget.parseDatetime("2024-05-01T10:00:00Z", plusTwo)).isEqualTo(1_714_557_600_000L);
        assertThat(ResetTarget.parseDatetime("2024-05-01T12:00:00.000+02:00", plusTwo)).isEqualTo(1_714_557_600_000L);
        assertThat(ResetTarget.parseDatetime("2024-05-01T12:00:00", plusTwo)).isEqualTo(1_714_557_600_000L);
        assertThat(ResetTarget.parseDatetime("2024-05-01T12:00", plusTwo)).isEqualTo(1_714_557_600_000L);
        assertThatThrownBy(() -> ResetTarget.parseDatetime("yesterday", plusTwo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday' is not an ISO-8601 date-time");
    }

    @Test
    void logOffsetsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new PartitionOffsets(OptionalLong.empty(), 10, 5, OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
