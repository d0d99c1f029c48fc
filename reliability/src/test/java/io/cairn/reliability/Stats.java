package io.cairn.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and maximum of measured durations, for reports. */
record Stats(int count, Duration median, Duration max) {
    static Stats of(List<Duration> durations) {
        if (durations.isEmpty()) {
            return new Stats(0, Duration.ZERO, Duration.ZERO);
        }
        List<Duration> sorted = new ArrayList<>(durations);
        Collections.sort(sorted);
        return new Stats(sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    @Override
    public String toString() {
        return "n=" + count + " median=" + median.toMillis() + " ms max=" + max.toMillis() + " ms";
    }
}
