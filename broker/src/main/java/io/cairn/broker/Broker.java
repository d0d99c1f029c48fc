package io.cairn.broker;

import io.cairn.broker.api.ApiDispatcher;
import io.cairn.broker.api.ApiVersionsHandler;
import io.cairn.broker.api.RequestObserver;
import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.network.LoggingNetworkEvents;
import io.cairn.broker.network.NetworkConfig;
import io.cairn.broker.network.NetworkServer;
import io.cairn.protocol.message.ApiSpecs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn broker: the process {@code cairn broker} runs, and what tests start
 * in-process. {@link #start} brings it up and returns once clients can connect; {@link #stop}
 * takes it down cleanly; {@link #halt} simulates a crash.
 *
 * <pre>
 * start:  data dir -> dispatcher + ApiVersions -> extensions (data path, groups, ...)
 *         -> bind the listener -> log "listening on host:port"
 * stop:   stop accepting -> stop reading requests -> extensions answer parked requests
 *         -> wait (up to shutdown.timeout.ms) for in-flight responses to be written
 *         -> close connections and event loops -> close extensions -> close executors
 * </pre>
 *
 * <p>Thread-safe: {@link #stop} and {@link #halt} may be called from any thread (a JVM shutdown
 * hook, a test), any number of times; the first one wins and the others wait for it.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    /** Requests per connection without a written response above which the broker stops reading from it. */
    static final int MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 1000;

    private enum State { RUNNING, STOPPING, STOPPED }

    private final BrokerConfig config;
    private final List<BrokerExtension> extensions;
    private final List<BrokerExtension> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LoggingNetworkEvents networkEvents = new LoggingNetworkEvents();
    private final ApiDispatcher dispatcher;
    private final ExecutorService ioExecutor;
    private final ScheduledExecutorService scheduler;
    private NetworkServer network;
    private InetSocketAddress boundAddress;
    private State state = State.RUNNING;

    private Broker(BrokerConfig config, List<? extends BrokerExtension> extensions) {
        this.config = config;
        this.extensions = List.copyOf(extensions);
        this.dispatcher = new ApiDispatcher(RequestObserver.NONE);
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
     * @throws IOException when the data directory cannot be used or the port cannot be bound;
     *                     everything opened so far is closed again
     */
    public static Broker start(BrokerConfig config, List<? extends BrokerExtension> extensions) throws IOException {
        Broker broker = new Broker(config, extensions);
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
        dispatcher.register(ApiSpecs.API_VERSIONS, new ApiVersionsHandler(dispatcher));
        BrokerContext context = new BrokerContext(config, dispatcher, ioExecutor, scheduler);
        for (BrokerExtension extension : extensions) {
            log.debug("starting {}", extension.name());
            extension.start(context);
            started.add(extension);
        }
        dispatcher.freeze();
        network = new NetworkServer(networkConfig(config), dispatcher, networkEvents);
        boundAddress = network.start();
        log.info("broker {} listening on {}:{} (clients connect to {}), data in {}, {} transport, started in {} ms",
                config.nodeId(), config.host(), boundAddress.getPort(), bootstrap(),
                config.dataDir().toAbsolutePath(), network.transport(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    static NetworkConfig networkConfig(BrokerConfig config) {
        int highWaterMark = Math.min(1 << 20, config.maxUnsentResponseBytes());
        return new NetworkConfig(config.host(), config.port(), config.networkThreads(), config.maxFrameBytes(),
                config.maxConnections(), config.connectionsMaxIdleMs(), config.maxUnsentResponseBytes(),
                MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, highWaterMark / 2, highWaterMark);
    }

    private void abortStart(Throwable cause) {
        log.error("broker failed to start: {}", cause.getMessage());
        synchronized (this) {
            state = State.STOPPING;
        }
        if (network != null) {
            network.close();
        }
        closeExtensions(false);
        closeExecutors();
        finish();
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

    /** The dispatcher, e.g. to check which APIs are served. */
    public ApiDispatcher dispatcher() {
        return dispatcher;
    }

    /** Counters of network events: connections accepted and refused, bad frames. */
    public LoggingNetworkEvents networkEvents() {
        return networkEvents;
    }

    /** Client connections open right now. */
    public int openConnections() {
        return network == null ? 0 : network.openConnections();
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
     * then closes connections, extensions and storage. Idempotent; returns once stopped.
     */
    public void stop() {
        if (!beginStopping()) {
            awaitQuietly();
            return;
        }
        long startNanos = System.nanoTime();
        log.info("broker {} stopping", config.nodeId());
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
        finish();
        log.info("broker {} stopped cleanly in {} ms", config.nodeId(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Simulates a crash for tests: closes sockets at once and stops every thread without
     * flushing, checkpointing or writing anything a killed process would not have written.
     * Bytes already handed to the OS stay in the page cache (a process crash, not a power
     * failure). Idempotent.
     */
    public void halt() {
        if (!beginStopping()) {
            awaitQuietly();
            return;
        }
        log.warn("broker {} halting without a clean shutdown", config.nodeId());
        network.close();
        closeExtensions(true);
        closeExecutors();
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
