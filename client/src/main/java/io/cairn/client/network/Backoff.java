package io.cairn.client.network;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: {@code base * 2^(attempts-1)}, capped at {@code max}, then spread by
 * +/-20% so clients that failed together do not retry together. Stateless; thread-safe.
 *
 * @param baseMs wait after the first failure
 * @param maxMs cap of the wait
 */
public record Backoff(long baseMs, long maxMs) {
    /** The wait before attempt number {@code failures + 1}; 0 when nothing failed yet. */
    public long delayMs(int failures) {
        if (failures <= 0 || baseMs <= 0) {
            return 0;
        }
        int shift = Math.min(failures - 1, 30);
        long raw = Math.min(Math.max(maxMs, baseMs), baseMs << shift);
        if (raw <= 0) {
            raw = Math.max(maxMs, baseMs);
        }
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(raw * jitter));
    }
}
