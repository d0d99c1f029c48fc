package io.cairn.broker;

import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link BrokerExtension} gets to build on: the configuration, the dispatcher to register
 * handlers with, and the broker's shared threads. Everything here is thread-safe and lives as
 * long as the broker.
 */
public final class BrokerContext {
    private final BrokerConfig config;
    private final ApiDispatcher dispatcher;
    private final ExecutorService ioExecutor;
    private final ScheduledExecutorService scheduler;

    BrokerContext(BrokerConfig config, ApiDispatcher dispatcher, ExecutorService ioExecutor, ScheduledExecutorService scheduler) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.ioExecutor = ioExecutor;
        this.scheduler = scheduler;
    }

    public BrokerConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Register handlers here during {@link BrokerExtension#start}; later registration fails. */
    public ApiDispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * {@code io.threads} threads for request work that may block (file system, RocksDB writes).
     * Handlers hand such work here instead of blocking their event loop.
     */
    public ExecutorService ioExecutor() {
        return ioExecutor;
    }

    /** One thread for timers (deadlines, periodic chores); tasks must be short and never block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}
