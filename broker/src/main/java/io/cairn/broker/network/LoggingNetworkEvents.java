package io.cairn.broker.network;

import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.protocol.wire.FrameError;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's {@link NetworkEvents}: one log line per event, rate-limited per kind of event for
 * everything a peer can provoke (so a hostile client cannot flood the log), plus counters the
 * metrics endpoint exposes (open and accepted connections through {@link BrokerMetrics}). Thread-safe.
 */
public final class LoggingNetworkEvents implements NetworkEvents {
    private static final Logger log = LoggerFactory.getLogger("io.cairn.broker.network");
    private static final long LOG_INTERVAL_MS = 10_000;

    private final RateLimitedLog rejectedLog = new RateLimitedLog(log, LOG_INTERVAL_MS);
    private final RateLimitedLog tooLargeLog = new RateLimitedLog(log, LOG_INTERVAL_MS);
    private final RateLimitedLog slowLog = new RateLimitedLog(log, LOG_INTERVAL_MS);
    private final RateLimitedLog unframeableLog = new RateLimitedLog(log, LOG_INTERVAL_MS);
    private final RateLimitedLog failureLog = new RateLimitedLog(log, LOG_INTERVAL_MS);

    private final BrokerMetrics metrics;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder badFrames = new LongAdder();
    private final LongAdder slowFrames = new LongAdder();

    public LoggingNetworkEvents(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void connectionOpened(Connection connection, int open) {
        accepted.increment();
        metrics.connectionOpened();
        log.debug("{} opened ({} open)", connection, open);
    }

    @Override
    public void connectionClosed(Connection connection, int open) {
        metrics.connectionClosed();
        log.debug("{} closed ({} open)", connection, open);
    }

    @Override
    public void connectionRejected(SocketAddress remote, int open, int maxConnections) {
        rejected.increment();
        rejectedLog.warn("refused connection from {}: {} connections open, max.connections={}", remote, open, maxConnections);
    }

    @Override
    public void badFrame(Connection connection, FrameError error) {
        badFrames.increment();
        tooLargeLog.warn("closing {}: {}", connection, error.message());
    }

    @Override
    public void slowFrame(Connection connection, int bufferedBytes, long waitedMs) {
        slowFrames.increment();
        slowLog.warn("closing {}: a frame still incomplete after {} ms ({} bytes of it arrived), frame.read.timeout.ms exceeded",
                connection, waitedMs, bufferedBytes);
    }

    @Override
    public void unframeableRequest(Connection connection, UnframeableRequestException problem) {
        badFrames.increment();
        unframeableLog.warn("closing {}: unreadable request frame type={}: {}", connection, problem.frameType(),
                problem.getMessage());
    }

    @Override
    public void processorFailed(Connection connection, Throwable cause) {
        failureLog.warn("closing {}: request processing failed: {}", connection, cause.toString(), cause);
    }

    @Override
    public void pipelineFailed(Connection connection, Throwable cause) {
        failureLog.warn("closing {}: {}", connection, cause.toString(), cause);
    }

    @Override
    public void writeFailed(Connection connection, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("closing {}: write failed: {}", connection, cause.toString());
        } else {
            failureLog.warn("closing {}: write failed: {}", connection, cause.toString(), cause);
        }
    }

    /** Connections accepted since start (refused ones not included). */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Connections refused because {@code max.connections} were open. */
    public long rejectedConnections() {
        return rejected.sum();
    }

    /** Connections closed because a frame did not arrive whole within {@code frame.read.timeout.ms}. */
    public long slowFrames() {
        return slowFrames.sum();
    }

    /** Connections closed for an oversized or unreadable frame. */
    public long badFrames() {
        return badFrames.sum();
    }
}
