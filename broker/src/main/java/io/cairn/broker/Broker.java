package io.cairn.broker;

import io.cairn.broker.admin.TopicAdmin;
import io.cairn.broker.api.AlterConfigsHandler;
import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.api.ApiVersionsHandler;
import io.cairn.broker.api.CreatePartitionsHandler;
import io.cairn.broker.api.CreateTopicsHandler;
import io.cairn.broker.api.DeleteTopicsHandler;
import io.cairn.broker.api.DescribeConfigsHandler;
import io.cairn.broker.api.MetadataHandler;
import io.cairn.broker.api.RequestObserver;
import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.TopicConfig;
import io.cairn.broker.metadata.InternalTopic;
import io.cairn.broker.metadata.Keyspace;
import io.cairn.broker.metadata.MeteredPartitionLifecycle;
import io.cairn.broker.metadata.Durability;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metadata.PartitionDirScanner;
import io.cairn.broker.metadata.ReconcileReport;
import io.cairn.broker.metadata.StoragePartitionLifecycle;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.metrics.BrokerHealth;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.metrics.MeterRegistration;
import io.cairn.broker.metrics.MetricsServer;
import io.cairn.broker.metrics.PartitionLogGauges;
import io.cairn.broker.network.LoggingNetworkEvents;
import io.cairn.broker.network.NetworkConfig;
import io.cairn.broker.network.NetworkServer;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.FileChannelFactory;
import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn broker: the process {@code cairn broker} runs, and what tests start
 * in-process. {@link #start} brings it up and returns once clients can connect; {@link #stop}
 * takes it down cleanly; {@link #halt} simulates a crash.
 *
 * <pre>
 * start:  metrics -> metadata store (RocksDB, data.dir/meta) -> topic registry (load)
 *         -> log manager (locks data.dir, recovers logs) -> registry reconcile with the partition dirs
 *         -> dispatcher: ApiVersions + topic admin APIs -> extensions (data path, groups, ...)
 *         -> bind the listener -> metrics endpoint -> log "listening on host:port"
 * stop:   stop accepting -> stop reading requests -> extensions answer parked requests
 *         -> wait (up to shutdown.timeout.ms) for in-flight responses to be written
 *         -> close connections and event loops -> close extensions -> close executors
 *         -> close the log manager (flush, checkpoints, .clean-shutdown) -> close the store
 * halt:   close sockets -> halt extensions -> abandon the log manager (no flush, no checkpoints,
 *         no .clean-shutdown; the lock is released) -> close the store
 * </pre>
 *
 * <p>Thread-safe: {@link #stop} and {@link #halt} may be called from any thread (a JVM shutdown
 * hook, a test), any number of times; the first one wins and the others wait for it.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    /** Requests per connection without a written response above which the broker stops reading from it. */
    static final int MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 1000;
    private static final byte[] CLUSTER_ID_KEY = "cluster.id".getBytes(StandardCharsets.US_ASCII);

    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    private final BrokerConfig config;
    private final FileChannelFactory files;
    private final List<BrokerExtension> extensions;
    private final List<BrokerExtension> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final BrokerMetrics metrics;
    private final BrokerHealth health = new BrokerHealth();
    private final LoggingNetworkEvents networkEvents;
    private final ApiDispatcher dispatcher;
    private final ExecutorService ioExecutor;
    private final ScheduledExecutorService scheduler;
    private final EndOffsetListeners endOffsetListeners = new EndOffsetListeners();
    private MetadataStore store;
    private TopicRegistry registry;
    private LogManager logManager;
    private MeterRegistration partitionGauge;
    private PartitionLogGauges partitionLogGauges;
    private MeterRegistration logDirGauge;
    private NetworkServer network;
    private MetricsServer metricsServer;
    private volatile InetSocketAddress boundAddress;
    private String clusterId;
    private State state = State.STARTING;

    private Broker(BrokerConfig config, List<? extends BrokerExtension> extensions, FileChannelFactory files) {
        this.config = config;
        this.files = files;
        this.extensions = List.copyOf(extensions);
        this.metrics = BrokerMetrics.prometheus();
        this.networkEvents = new LoggingNetworkEvents(metrics);
        this.dispatcher = new ApiDispatcher(requestMetrics(metrics));
        this.ioExecutor = Executors.newFixedThreadPool(config.ioThreads(), daemonThreads("cairn-io"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("cairn-scheduler"));
    }

    /** Starts a standard broker ({@link BrokerExtensions#standard()}). */
    public static Broker start(BrokerConfig config) throws IOException {
        return start(config, BrokerExtensions.standard());
    }

    /**
     * Starts a broker with the given extensions and returns once it accepts connections.
     *
     * @throws IOException when the data directory cannot be used or a port cannot be bound;
     *                     everything opened so far is closed again, and the reason is logged
     */
    public static Broker start(BrokerConfig config, List<? extends BrokerExtension> extensions) throws IOException {
        return start(config, extensions, FileChannelFactory.DEFAULT);
    }

    /**
     * Starts a broker whose storage opens, renames and deletes its files through {@code files}: the
     * fault-injection seam for tests of full disks and failing fsyncs. Otherwise as {@link #start(BrokerConfig, List)}.
     */
    public static Broker start(BrokerConfig config, List<? extends BrokerExtension> extensions, FileChannelFactory files)
            throws IOException {
        Broker broker = new Broker(config, extensions, files);
        try {
            broker.startUp();
            return broker;
        } catch (IOException | RuntimeException | Error e) {
            broker.abortStart(e);
            throw e;
        } catch (Exception e) {
            broker.abortStart(e);
            throw new IllegalStateException("broker start-up failed: " + e.getMessage(), e);
        }
    }

    private void startUp() throws Exception {
        long startNanos = System.nanoTime();
        Files.createDirectories(config.dataDir());
        store = MetadataStore.open(config.metaDir());
        clusterId = clusterId(store);
        DeferredPartitionLifecycle lifecycle = new DeferredPartitionLifecycle();
        registry = TopicRegistry.load(store, config, lifecycle);
        logManager = LogManager.open(config.dataDir(), logManagerConfig());
        partitionLogGauges = new PartitionLogGauges(metrics, logManager::log);
        lifecycle.bind(new MeteredPartitionLifecycle(new StoragePartitionLifecycle(logManager), partitionLogGauges));
        ReconcileReport report = registry.reconcile(PartitionDirScanner.scan(config.dataDir()),
                List.of(InternalTopic.consumerOffsets(config)));
        if (!report.clean()) {
            log.warn("topic registry repaired at start-up: {}", report);
        }
        partitionGauge = metrics.bindPartitionCount(registry::livePartitionCount);
        for (Log log : logManager.logs()) {
            partitionLogGauges.register(log.topicPartition());
        }
        logDirGauge = metrics.bindLogDirOffline(() -> logManager.isOffline() ? 1 : 0);
        health.watch(this::logDirProblem);

        TopicAdmin topicAdmin = new TopicAdmin(registry, metrics, ioExecutor);
        registerCoreHandlers(topicAdmin);
        BrokerContext context = new BrokerContext(config, dispatcher, logManager, store, registry, topicAdmin, metrics,
                ioExecutor, scheduler, endOffsetListeners, this::advertisedPort);
        for (BrokerExtension extension : extensions) {
            log.debug("starting {}", extension.name());
            extension.start(context);
            started.add(extension);
        }
        dispatcher.freeze();

        network = new NetworkServer(networkConfig(config), dispatcher, networkEvents);
        boundAddress = network.start();
        if (config.metricsEnabled()) {
            metricsServer = MetricsServer.start(config.host(), config.metricsPort(), metrics::scrape, health);
        }
        synchronized (this) {
            state = State.RUNNING;
        }
        health.markServing();
        log.info("broker {} listening on {}:{} (clients connect to {}){}, data in {}, {} topics, {} transport, started in {} ms",
                config.nodeId(), config.host(), boundAddress.getPort(), bootstrap(),
                metricsServer == null ? "" : ", metrics on http://" + config.advertisedHost() + ":" + metricsServer.port() + "/metrics",
                config.dataDir().toAbsolutePath(), registry.liveTopics().size(), network.transport(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private void registerCoreHandlers(TopicAdmin topicAdmin) {
        dispatcher.register(ApiSpecs.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        dispatcher.register(ApiSpecs.METADATA, new MetadataHandler(topicAdmin, config.nodeId(), config.advertisedHost(),
                this::advertisedPort, clusterId, config.autoCreateTopicsEnable(),
                this::offlinePartitions, logManager::log));
        dispatcher.register(ApiSpecs.CREATE_TOPICS, new CreateTopicsHandler(topicAdmin));
        dispatcher.register(ApiSpecs.DELETE_TOPICS, new DeleteTopicsHandler(topicAdmin));
        dispatcher.register(ApiSpecs.CREATE_PARTITIONS, new CreatePartitionsHandler(topicAdmin));
        dispatcher.register(ApiSpecs.DESCRIBE_CONFIGS, new DescribeConfigsHandler(registry, config));
        dispatcher.register(ApiSpecs.ALTER_CONFIGS, new AlterConfigsHandler(topicAdmin));
    }

    /** Why {@code /health} must fail while the broker runs: its data directory went offline after an I/O error. */
    private String logDirProblem() {
        return logManager.offlineCause()
                .map(cause -> "data directory " + config.dataDir().toAbsolutePath() + " is offline after an I/O error: "
                        + cause.getMessage())
                .orElse(null);
    }

    /** Which partitions' logs are offline now: one snapshot, cheap to test per partition. */
    private Predicate<TopicPartition> offlinePartitions() {
        if (logManager.isOffline()) {
            return tp -> true;
        }
        Set<TopicPartition> offline = logManager.offlinePartitions().keySet();
        return offline.isEmpty() ? tp -> false : offline::contains;
    }

    private LogManagerConfig logManagerConfig() {
        TopicRegistry topics = registry;
        return LogManagerConfig.builder()
                .defaultLogConfig(config.topicDefaults().toLogConfig())
                .topicConfigs(topic -> topics.config(topic).map(TopicConfig::toLogConfig).orElse(null))
                .recoveryThreads(config.numRecoveryThreads())
                .retentionCheckIntervalMs(config.logRetentionCheckIntervalMs())
                .flushCheckIntervalMs(config.logFlushSchedulerIntervalMs())
                .cleanerThreads(config.logCleanerThreads())
                .cleanerBackoffMs(Math.max(1, config.logCleanerBackoffMs()))
                .endOffsetListener(endOffsetListeners)
                .channels(files)
                .build();
    }

    /** The cluster id, created on first start and kept in the metadata store. */
    private static String clusterId(MetadataStore store) {
        byte[] stored = store.get(Keyspace.META, CLUSTER_ID_KEY);
        if (stored != null) {
            return new String(stored, StandardCharsets.US_ASCII);
        }
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        store.put(Keyspace.META, CLUSTER_ID_KEY, id.getBytes(StandardCharsets.US_ASCII), Durability.SYNC);
        return id;
    }

    static NetworkConfig networkConfig(BrokerConfig config) {
        int highWaterMark = Math.min(1 << 20, config.maxUnsentResponseBytes());
        return new NetworkConfig(config.host(), config.port(), config.networkThreads(), config.maxFrameBytes(),
                config.maxConnections(), config.connectionsMaxIdleMs(), config.frameReadTimeoutMs(), config.maxUnsentResponseBytes(),
                MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, highWaterMark / 2, highWaterMark);
    }

    private static RequestObserver requestMetrics(BrokerMetrics metrics) {
        return (api, error, latencyNanos) -> {
            metrics.recordRequest(api, latencyNanos);
            if (error != ErrorCode.NONE) {
                metrics.recordRequestError(api);
            }
        };
    }

    private void abortStart(Throwable cause) {
        log.error("broker failed to start: {}", cause.getMessage());
        synchronized (this) {
            state = State.STOPPING;
        }
        health.markNotServing("start-up failed");
        if (network != null) {
            network.close();
        }
        closeExtensions(false);
        closeExecutors();
        closeMetricsServer();
        closeStorage(false);
        finish();
    }

    /**
     * The client port handlers advertise. The listener accepts connections as soon as it is bound,
     * before {@code network.start()} has returned the bound address, so a request can arrive while it
     * is still unset; the configured port is then the bound one (with {@code port=0} no client can
     * know the port before it is published).
     */
    private int advertisedPort() {
        return advertisedPort(boundAddress, config.port());
    }

    static int advertisedPort(InetSocketAddress bound, int configuredPort) {
        return bound != null ? bound.getPort() : configuredPort;
    }

    /** The configuration the broker runs with. */
    public BrokerConfig config() {
        return config;
    }

    /** The address the client listener is bound to, with the real port when {@code port=0}. */
    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    /** The real client port. */
    public int port() {
        return boundAddress.getPort();
    }

    /** {@code host:port} a client on this machine connects to: the advertised host and the real port. */
    public String bootstrap() {
        return config.advertisedHost() + ":" + boundAddress.getPort();
    }

    /** The real port of the metrics endpoint, if it runs ({@code metrics.port} is not -1). */
    public Optional<Integer> metricsPort() {
        return metricsServer == null ? Optional.empty() : Optional.of(metricsServer.port());
    }

    /** The id of this (single-node) cluster, stable across restarts on the same data directory. */
    public String clusterId() {
        return clusterId;
    }

    /** The dispatcher, e.g. to check which APIs are served. */
    public ApiDispatcher dispatcher() {
        return dispatcher;
    }

    /** The topic registry. */
    public TopicRegistry topics() {
        return registry;
    }

    /** The log manager, e.g. for tests that look at partition logs. */
    public LogManager logManager() {
        return logManager;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    /** Counters of network events: connections accepted and refused, bad frames. */
    public LoggingNetworkEvents networkEvents() {
        return networkEvents;
    }

    /** Client connections open right now. */
    public int openConnections() {
        return network == null ? 0 : network.openConnections();
    }

    /** Connections whose reading is paused by back-pressure right now. */
    public int pausedConnections() {
        return network == null ? 0 : network.pausedConnections();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Blocks until the broker has stopped (cleanly or not). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops cleanly: stops accepting and reading requests, lets extensions answer parked
     * requests, waits up to {@code shutdown.timeout.ms} for in-flight responses to be written,
     * then closes connections, extensions and storage (flush, checkpoints,
     * {@code .clean-shutdown}). Idempotent; returns once stopped.
     */
    public void stop() {
        if (!beginStopping()) {
            awaitQuietly();
            return;
        }
        long startNanos = System.nanoTime();
        log.info("broker {} stopping", config.nodeId());
        health.markNotServing("shutting down");
        network.stopAccepting();
        network.pauseReading();
        for (int i = started.size() - 1; i >= 0; i--) {
            BrokerExtension extension = started.get(i);
            try {
                extension.beginShutdown();
            } catch (RuntimeException e) {
                log.warn("{} failed to begin shutdown: {}", extension.name(), e.toString(), e);
            }
        }
        if (!network.awaitDrained(Duration.ofMillis(config.shutdownTimeoutMs()))) {
            log.warn("{} requests still in flight after shutdown.timeout.ms={}; closing their connections",
                    network.inFlightRequests(), config.shutdownTimeoutMs());
        }
        network.close();
        closeExtensions(false);
        closeExecutors();
        closeMetricsServer();
        closeStorage(false);
        finish();
        log.info("broker {} stopped cleanly in {} ms", config.nodeId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Simulates a crash for tests: closes sockets at once, halts the extensions and abandons the
     * log manager without flushing, checkpointing or writing {@code .clean-shutdown}, so the next
     * start recovers. Bytes already handed to the OS stay in the page cache (a process crash, not
     * a power failure); the metadata store is closed (its writes are synced as they happen).
     * Idempotent.
     */
    public void halt() {
        if (!beginStopping()) {
            awaitQuietly();
            return;
        }
        log.warn("broker {} halting without a clean shutdown", config.nodeId());
        health.markNotServing("halted");
        network.close();
        closeExtensions(true);
        closeExecutors();
        closeMetricsServer();
        closeStorage(true);
        finish();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private synchronized boolean beginStopping() {
        if (state != State.RUNNING) {
            return false;
        }
        state = State.STOPPING;
        return true;
    }

    private void closeExtensions(boolean halt) {
        for (int i = started.size() - 1; i >= 0; i--) {
            BrokerExtension extension = started.get(i);
            try {
                if (halt) {
                    extension.halt();
                } else {
                    extension.close();
                }
            } catch (Exception e) {
                log.warn("{} failed to close: {}", extension.name(), e.toString(), e);
            }
        }
        started.clear();
    }

    private void closeExecutors() {
        scheduler.shutdownNow();
        ioExecutor.shutdown();
        try {
            if (!ioExecutor.awaitTermination(config.shutdownTimeoutMs(), TimeUnit.MILLISECONDS)) {
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void closeMetricsServer() {
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    private void closeStorage(boolean halt) {
        if (partitionLogGauges != null) {
            partitionLogGauges.close();
        }
        if (partitionGauge != null) {
            partitionGauge.close();
        }
        if (logDirGauge != null) {
            logDirGauge.close();
        }
        if (logManager != null) {
            try {
                if (halt) {
                    logManager.halt();
                } else {
                    logManager.close();
                }
            } catch (RuntimeException e) {
                log.error("closing the log manager of {} failed: {}", config.dataDir(), e.toString(), e);
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                log.error("closing the metadata store {} failed: {}", config.metaDir(), e.toString(), e);
            }
        }
        metrics.close();
    }

    private void finish() {
        synchronized (this) {
            state = State.STOPPED;
        }
        stopped.countDown();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
