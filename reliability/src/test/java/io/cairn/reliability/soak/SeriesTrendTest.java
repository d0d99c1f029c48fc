package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SeriesTrendTest {
    private static List<Long> times(int n) {
        return LongStream.range(0, n).map(i -> i * 5_000).boxed().toList();
    }

    @Test
    void aLevelSeriesWithOneSpikeIsStableAndDoesNotGrow() {
        List<Double> values = List.of(100.0, 102.0, 98.0, 400.0, 101.0, 99.0, 100.0, 103.0, 97.0);
        SeriesTrend t = SeriesTrend.of("x", times(values.size()), values);
        assertThat(t.firstThirdMedian()).isEqualTo(100.0);
        assertThat(t.lastThirdMedian()).isEqualTo(100.0);
        assertThat(t.stableWithin(0.30)).isTrue();
        assertThat(t.grewAtMost(1, 0.05)).isTrue();
    }

    @Test
    void aSteadyClimbIsGrowthWithAPositiveSlope() {
        List<Double> values = List.of(100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0);
        SeriesTrend t = SeriesTrend.of("x", times(values.size()), values);
        assertThat(t.change()).isEqualTo(60.0);
        assertThat(t.grewAtMost(32, 0.15)).isFalse();
        assertThat(t.grewAtMost(64, 0.15)).isTrue();
        assertThat(t.slopePerMinute()).isCloseTo(120.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void throughputThatFellByMoreThanTheToleranceIsNotStable() {
        List<Double> values = List.of(1000.0, 1000.0, 1000.0, 800.0, 650.0, 650.0);
        SeriesTrend t = SeriesTrend.of("x", times(values.size()), values);
        assertThat(t.stableWithin(0.30)).isFalse();
        assertThat(t.stableWithin(0.40)).isTrue();
        assertThat(SeriesTrend.of("zero", times(3), List.of(0.0, 0.0, 0.0)).stableWithin(0.30))
                .as("no throughput at all is not stable throughput").isFalse();
    }

    @Test
    void aStallFollowedByCatchUpKeepsTheRateOfTheThird() {
        List<Double> values = List.of(1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 300.0, 1700.0, 1000.0);
        SeriesTrend t = SeriesTrend.of("x", times(values.size()), values);
        assertThat(t.lastThirdMean()).isEqualTo(1000.0);
        assertThat(t.stableWithin(0.05)).isTrue();
    }

    @Test
    void tooFewSamplesAreRefused() {
        assertThatThrownBy(() -> SeriesTrend.of("x", times(2), List.of(1.0, 2.0)))
                .hasMessageContaining("at least 3 samples");
    }
}
