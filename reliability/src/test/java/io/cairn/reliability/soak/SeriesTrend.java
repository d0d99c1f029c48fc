package io.cairn.reliability.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a sampled series (after warm-up) stayed level: it is cut into thirds by sample count and
 * the medians of the first and last third are compared, which ignores single spikes (a GC, a
 * segment roll, a neighbour's build) but not a drift; for rates, the means of the thirds. The least-squares slope per minute over all
 * samples is reported alongside, as a second view of the same drift.
 *
 * <p>Immutable.
 */
record SeriesTrend(String name, int samples, double firstThirdMedian, double lastThirdMedian, double firstThirdMean,
                   double lastThirdMean, double slopePerMinute) {

    /** The trend of {@code values} sampled at {@code timesMs}; needs at least 3 samples. */
    static SeriesTrend of(String name, List<Long> timesMs, List<Double> values) {
        if (timesMs.size() != values.size()) {
            throw new IllegalArgumentException(name + ": " + timesMs.size() + " times for " + values.size() + " values");
        }
        if (values.size() < 3) {
            throw new IllegalArgumentException(name + ": a trend needs at least 3 samples, got " + values.size());
        }
        int third = values.size() / 3;
        List<Double> firstThird = values.subList(0, third);
        List<Double> lastThird = values.subList(values.size() - third, values.size());
        return new SeriesTrend(name, values.size(), median(firstThird), median(lastThird), mean(firstThird),
                mean(lastThird), slopePerMinute(timesMs, values));
    }

    /**
     * Last third's mean within {@code ±fraction} of the first third's: for rates sampled over equal
     * intervals, the rate over the whole third, which the paced producers' catch-up after a stall
     * does not distort the way it moves single samples (a throughput that held).
     */
    boolean stableWithin(double fraction) {
        return firstThirdMean > 0 && Math.abs(lastThirdMean - firstThirdMean) <= fraction * firstThirdMean;
    }

    /**
     * Last third's median above the first third's by no more than the larger of {@code absolute} and
     * {@code fraction} of the first (a resource that did not grow).
     */
    boolean grewAtMost(double absolute, double fraction) {
        return lastThirdMedian - firstThirdMedian <= Math.max(absolute, fraction * firstThirdMedian);
    }

    double change() {
        return lastThirdMedian - firstThirdMedian;
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average()
                .orElseThrow(() -> new IllegalArgumentException("mean of no values"));
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double slopePerMinute(List<Long> timesMs, List<Double> values) {
        int n = values.size();
        double meanT = 0;
        double meanV = 0;
        for (int i = 0; i < n; i++) {
            meanT += timesMs.get(i) / 60_000.0;
            meanV += values.get(i);
        }
        meanT /= n;
        meanV /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double dt = timesMs.get(i) / 60_000.0 - meanT;
            num += dt * (values.get(i) - meanV);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }
}
