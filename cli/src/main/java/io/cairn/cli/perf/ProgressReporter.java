package io.cairn.cli.perf;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line for the last window of a perf run every {@code intervalMs}, from a daemon
 * thread of its own, until closed. The lines go through {@link PrintWriter}, whose methods are
 * synchronized, so they never interleave with the command's own output.
 */
public final class ProgressReporter implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private ProgressReporter(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts reporting {@code stats} windows to {@code out}; {@code intervalMs <= 0} reports nothing. */
    public static ProgressReporter start(PerfStats stats, String verb, long intervalMs, PrintWriter out) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-perf-progress");
            t.setDaemon(true);
            return t;
        });
        if (intervalMs > 0) {
            timer.scheduleAtFixedRate(() -> {
                out.println(PerfReport.windowLine(stats.window(System.nanoTime()), verb));
                out.flush();
            }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
        return new ProgressReporter(timer);
    }

    /** Stops reporting; a line being printed is finished first. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
