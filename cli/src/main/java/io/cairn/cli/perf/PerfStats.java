package io.cairn.cli.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and latencies of one perf run. Latencies are kept in microseconds in an HdrHistogram
 * (3 significant digits, auto-resizing, so no value is clipped), read in windows for the progress
 * lines and in total for the summary.
 *
 * <p>Thread-safety: {@link #record} and {@link #recordError} may be called from any thread at
 * any time (wait-free); {@link #window} and {@link #summary} are for the reporting threads and
 * serialize among themselves.
 */
public final class PerfStats {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder latencies = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private final long startNanos;
    private Histogram interval;
    private long windowStartNanos;
    private long windowRecords;
    private long windowBytes;

    /** Starts counting at {@code startNanos} ({@link System#nanoTime()}). */
    public PerfStats(long startNanos) {
        this.startNanos = startNanos;
        this.windowStartNanos = startNanos;
    }

    /** One record of {@code size} bytes done, {@code latencyNanos} after it started. */
    public void record(int size, long latencyNanos) {
        records.increment();
        bytes.add(size);
        latencies.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    }

    /**
     * {@code count} records of {@code size} bytes in all done, each {@code latencyNanos} after it
     * started: one update for a whole poll's records instead of one per record.
     */
    public void recordBatch(int count, long size, long latencyNanos) {
        if (count <= 0) {
            return;
        }
        records.add(count);
        bytes.add(size);
        latencies.recordValueWithCount(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)), count);
    }

    /** One record of {@code size} bytes done whose latency is not measured (a warm-up record). */
    public void recordUntimed(int size) {
        records.increment();
        bytes.add(size);
    }

    /** One record failed; it counts neither as a record nor in the latencies. */
    public void recordError() {
        errors.increment();
    }

    /** Records done so far. */
    public long records() {
        return records.sum();
    }

    /** Records failed so far. */
    public long errors() {
        return errors.sum();
    }

    /** The window since the previous call (or the start), at {@code nowNanos}. */
    public synchronized Window window(long nowNanos) {
        interval = latencies.getIntervalHistogram(interval);
        total.add(interval);
        long recordsNow = records.sum();
        long bytesNow = bytes.sum();
        Window window = new Window(recordsNow - windowRecords, bytesNow - windowBytes, nowNanos - windowStartNanos,
                interval.getTotalCount() == 0 ? 0 : interval.getMean() / 1000.0, interval.getMaxValue() / 1000.0);
        windowStartNanos = nowNanos;
        windowRecords = recordsNow;
        windowBytes = bytesNow;
        return window;
    }

    /** The whole run from the start to {@code nowNanos}. */
    public synchronized Summary summary(long nowNanos) {
        window(nowNanos);
        boolean empty = total.getTotalCount() == 0;
        return new Summary(records.sum(), bytes.sum(), errors.sum(), total.getTotalCount(), nowNanos - startNanos,
                empty ? 0 : total.getMean() / 1000.0,
                percentileMs(50), percentileMs(95), percentileMs(99), percentileMs(99.9),
                total.getMaxValue() / 1000.0);
    }

    private double percentileMs(double percentile) {
        return total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * A reporting window.
     *
     * @param records      records done in the window
     * @param bytes        their bytes
     * @param elapsedNanos the window's length
     * @param avgLatencyMs mean latency of the records in the window
     * @param maxLatencyMs highest latency in the window
     */
    public record Window(long records, long bytes, long elapsedNanos, double avgLatencyMs, double maxLatencyMs) {
        public double recordsPerSec() {
            return PerfStats.perSecond(records, elapsedNanos);
        }

        public double mbPerSec() {
            return PerfStats.perSecond(bytes, elapsedNanos) / PerfStats.MB;
        }
    }

    /**
     * A run's totals.
     *
     * @param records      records done
     * @param bytes        their bytes
     * @param errors       records failed
     * @param measured     records whose latency was measured
     * @param elapsedNanos from the start to the summary
     * @param avgLatencyMs mean latency
     * @param p50Ms        median latency
     * @param p95Ms        95th percentile latency
     * @param p99Ms        99th percentile latency
     * @param p999Ms       99.9th percentile latency
     * @param maxLatencyMs highest latency
     */
    public record Summary(long records, long bytes, long errors, long measured, long elapsedNanos, double avgLatencyMs,
                          double p50Ms, double p95Ms, double p99Ms, double p999Ms, double maxLatencyMs) {
        public double recordsPerSec() {
            return PerfStats.perSecond(records, elapsedNanos);
        }

        public double mbPerSec() {
            return PerfStats.perSecond(bytes, elapsedNanos) / PerfStats.MB;
        }

        public double elapsedMs() {
            return elapsedNanos / 1e6;
        }
    }

    /** A megabyte as Kafka's perf tools count it. */
    static final double MB = 1024.0 * 1024.0;

    static double perSecond(long amount, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : amount * 1e9 / elapsedNanos;
    }
}
