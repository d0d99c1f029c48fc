package io.cairn.storage;

/**
 * Told when a log's end offset (and with it, today, its high watermark) advances, so the broker
 * can complete long-poll fetches.
 *
 * <p>Called on the appending thread right after the new offsets are published, outside the log's
 * lock. Must be cheap and must not block or call back into {@link Log#append}; hand work to
 * another thread.
 */
@FunctionalInterface
public interface EndOffsetListener {
    void endOffsetAdvanced(Log log, long endOffset);
}
