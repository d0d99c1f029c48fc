package io.cairn.cli.perf;

import picocli.CommandLine.Option;

/** Options every perf tool shares. A picocli mixin. */
public final class PerfOptions {
    @Option(names = "--reporting-interval-ms", paramLabel = "MS", defaultValue = "5000",
            description = "Print a progress line every MS milliseconds; 0 for none. Default: ${DEFAULT-VALUE}.")
    private long reportingIntervalMs;

    public long reportingIntervalMs() {
        return reportingIntervalMs;
    }
}
