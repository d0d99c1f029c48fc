package io.cairn.broker;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.storage.EndOffsetListener;
import io.cairn.storage.LogManager;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link BrokerExtension} builds on: the configuration, the dispatcher to register
 * handlers with, storage, the metadata store and topic registry, metrics and the broker's shared
 * threads. When extensions start, storage is open and recovered and the registry reconciled with
 * the partition directories. Everything here is thread-safe and lives as long as the broker.
 */
public final class BrokerContext {
    private final BrokerConfig config;
    private final ApiDispatcher dispatcher;
    private final LogManager logManager;
    private final MetadataStore metadataStore;
    private final TopicRegistry topics;
    private final TopicAdmin topicAdmin;
    private final BrokerMetrics metrics;
    private final ExecutorService ioExecutor;
    private final ScheduledExecutorService scheduler;
    private final EndOffsetListeners endOffsetListeners;

    BrokerContext(BrokerConfig config, ApiDispatcher dispatcher, LogManager logManager, MetadataStore metadataStore,
                  TopicRegistry topics, TopicAdmin topicAdmin, BrokerMetrics metrics, ExecutorService ioExecutor,
                  ScheduledExecutorService scheduler, EndOffsetListeners endOffsetListeners) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.logManager = logManager;
        this.metadataStore = metadataStore;
        this.topics = topics;
        this.topicAdmin = topicAdmin;
        this.metrics = metrics;
        this.ioExecutor = ioExecutor;
        this.scheduler = scheduler;
        this.endOffsetListeners = endOffsetListeners;
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

    /** Every partition log; closed by the broker after the extensions. */
    public LogManager logManager() {
        return logManager;
    }

    /** The RocksDB store under {@code <data-dir>/meta}; closed by the broker last. */
    public MetadataStore metadataStore() {
        return metadataStore;
    }

    /** Topic names, ids, partition counts and configs (lock-free lookups). */
    public TopicRegistry topics() {
        return topics;
    }

    /** Topic creation, deletion and reconfiguration (e.g. to create an internal topic). */
    public TopicAdmin topicAdmin() {
        return topicAdmin;
    }

    public BrokerMetrics metrics() {
        return metrics;
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

    /**
     * Adds a listener told after every append to any log (e.g. to wake long-poll fetches). It is
     * called on the appending thread and must not block. Add it in {@link BrokerExtension#start}.
     */
    public void addEndOffsetListener(EndOffsetListener listener) {
        endOffsetListeners.add(listener);
    }
}
