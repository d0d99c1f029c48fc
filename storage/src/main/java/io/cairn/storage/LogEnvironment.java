package io.cairn.storage;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What a {@link Log} needs from its surroundings: a clock, the file opener, a scheduler for
 * delayed file deletion, and whom to tell about appends, flush needs and I/O failure. Built by
 * {@link LogManager}; tests build their own. Immutable and shared by all logs of a data directory.
 *
 * @param clock            wall clock (segment.ms, retention, flush.ms)
 * @param channels         opens every file
 * @param scheduler        runs delayed deletions; null = delete at once
 * @param offlineHandler   told when a log hits an I/O error (the manager takes the directory offline)
 * @param endOffsetListener told after every append, or null
 * @param flushRequester   asked to flush a log off the appending thread ({@code flush.messages}), or null
 */
record LogEnvironment(Clock clock, FileChannelFactory channels, ScheduledExecutorService scheduler,
                      OfflineHandler offlineHandler, EndOffsetListener endOffsetListener,
                      Consumer<Log> flushRequester) {

    /** Told when a log turns offline because of an I/O failure. Called on the failing thread. */
    @FunctionalInterface
    interface OfflineHandler {
        void logFailed(Log log, Throwable cause);
    }

    LogEnvironment {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(offlineHandler, "offlineHandler");
    }

    /** A standalone environment: system clock, real files, synchronous deletes, no listeners. */
    static LogEnvironment standalone() {
        return new LogEnvironment(Clock.systemUTC(), FileChannelFactory.DEFAULT, null, (log, cause) -> { }, null, null);
    }

    /**
     * Runs {@code task} after {@code delayMs} on the scheduler (at once without one, or without a
     * delay). A scheduler already shut down drops it: the files it would remove are renamed and the
     * next start removes them.
     */
    void runLater(Runnable task, long delayMs) {
        if (scheduler == null || delayMs <= 0) {
            task.run();
            return;
        }
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the renamed files are removed at the next start.
        }
    }
}
