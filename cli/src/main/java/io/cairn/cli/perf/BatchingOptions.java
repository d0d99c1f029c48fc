package io.cairn.cli.perf;

import java.util.Map;
import picocli.CommandLine.Option;

/** The producer batching settings the perf tools expose as options of their own. A picocli mixin. */
public final class BatchingOptions {
    @Option(names = "--batch-size", paramLabel = "BYTES", description = "Producer batch.size. Default: the client's (16384).")
    private Integer batchSize;

    @Option(names = "--linger-ms", paramLabel = "MS", description = "Producer linger.ms. Default: the client's (5).")
    private Long lingerMs;

    /** Adds the options given to {@code settings}; returns it. */
    public Map<String, Object> addTo(Map<String, Object> settings) {
        if (batchSize != null) {
            settings.put("batch.size", batchSize);
        }
        if (lingerMs != null) {
            settings.put("linger.ms", lingerMs);
        }
        return settings;
    }

    /** {@code --batch-size}, or null when not given. */
    public Integer batchSize() {
        return batchSize;
    }

    /** {@code --linger-ms}, or null when not given. */
    public Long lingerMs() {
        return lingerMs;
    }
}
