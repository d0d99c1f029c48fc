package io.cairn.broker.testing;

import io.cairn.broker.Broker;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.BrokerExtensions;
import io.cairn.broker.config.BrokerConfig;
import io.cairn.storage.FileChannelFactory;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.CreateTopicsRequest;
import io.cairn.protocol.message.CreateTopicsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real broker running in the test's JVM, for integration tests of any module: it listens on
 * 127.0.0.1 on a free port and keeps its data in a directory the test owns (a {@code @TempDir}).
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir)) {
 *     try (RawClient client = broker.rawClient()) { ... }      // or a real client on broker.bootstrap()
 *     broker.crash();                                           // unclean: see crash()
 *     broker.restart();                                         // same data dir, same port
 * }
 * }</pre>
 *
 * <p>Test defaults on top of the broker's: {@code host=127.0.0.1}, {@code port=0},
 * {@code metrics.port=0}, {@code data.dir=<the given dir>}, {@code shutdown.timeout.ms=5000},
 * {@code log.cleaner.threads=0} (no compaction threads unless a test sets them);
 * any key can be overridden with {@link Builder#set}. Each broker gets fresh extension
 * instances from {@link BrokerExtensions#standard()} unless the builder names others.
 *
 * <p>Not thread-safe: drive one instance from one test thread.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> settings;
    private final Supplier<List<? extends BrokerExtension>> extensions;
    private final FileChannelFactory files;
    private Broker broker;
    private int port;

    private EmbeddedBroker(Path dataDir, Map<String, String> settings, Supplier<List<? extends BrokerExtension>> extensions,
                           FileChannelFactory files) {
        this.files = files;
        this.dataDir = dataDir;
        this.settings = settings;
        this.extensions = extensions;
    }

    /** Starts a standard broker with test defaults on {@code dataDir}. */
    public static EmbeddedBroker start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** Starts a standard broker with test defaults and {@code overrides} on {@code dataDir}. */
    public static EmbeddedBroker start(Path dataDir, Map<String, String> overrides) {
        Builder builder = builder(dataDir);
        overrides.forEach(builder::set);
        return builder.start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Builds an {@link EmbeddedBroker}. */
    public static final class Builder {
        private final Path dataDir;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Supplier<List<? extends BrokerExtension>> extensions = BrokerExtensions::standard;
        private FileChannelFactory files = FileChannelFactory.DEFAULT;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
            settings.put("host", "127.0.0.1");
            settings.put("port", "0");
            settings.put("metrics.port", "0");
            settings.put("shutdown.timeout.ms", "5000");
            settings.put("log.cleaner.threads", "0");
        }

        /** Sets a broker config key, as {@code --set key=value} would. */
        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Runs these extensions instead of the standard ones; called again for each (re)start. */
        public Builder extensions(Supplier<List<? extends BrokerExtension>> extensions) {
            this.extensions = extensions;
            return this;
        }

        /** Storage opens, renames and deletes its files through {@code files} (fault injection); kept across restarts. */
        public Builder files(FileChannelFactory files) {
            this.files = files;
            return this;
        }

        public EmbeddedBroker start() {
            EmbeddedBroker embedded = new EmbeddedBroker(dataDir, new LinkedHashMap<>(settings), extensions, files);
            embedded.startBroker();
            return embedded;
        }
    }

    private void startBroker() {
        Map<String, String> sets = new LinkedHashMap<>(settings);
        sets.put("data.dir", dataDir.toString());
        if (port != 0) {
            sets.put("port", Integer.toString(port));
        }
        try {
            broker = Broker.start(BrokerConfig.of(sets), extensions.get(), files);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded broker failed to start on " + dataDir, e);
        }
        port = broker.port();
    }

    /** {@code 127.0.0.1:<port>}, for clients. */
    public String bootstrap() {
        return broker.bootstrap();
    }

    /** The client listener's address. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The running broker, e.g. to read its counters. */
    public Broker broker() {
        return broker;
    }

    /** {@code http://127.0.0.1:<port>/metrics}, the Prometheus endpoint. */
    public String metricsUrl() {
        int metricsPort = broker.metricsPort().orElseThrow(() ->
                new IllegalStateException("the metrics endpoint is disabled (metrics.port=-1)"));
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    /**
     * Creates a topic over the wire (CreateTopics) and returns once it exists.
     *
     * @throws IllegalStateException with the broker's error code and message if it refuses
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        List<CreateTopicsRequest.Config> entries = configs.entrySet().stream()
                .map(e -> new CreateTopicsRequest.Config(e.getKey(), e.getValue())).toList();
        try (RawClient client = rawClient()) {
            CreateTopicsResponse response = client.call(ApiSpecs.CREATE_TOPICS, new CreateTopicsRequest(
                    List.of(new CreateTopicsRequest.CreatableTopic(name, partitions, (short) -1, entries)), 30_000, false));
            CreateTopicsResponse.TopicResult result = response.topics().get(0);
            if (response.errorCode() != 0 || result.errorCode() != 0) {
                throw new IllegalStateException("creating topic " + name + " failed: "
                        + ErrorCode.forCode(response.errorCode() != 0 ? response.errorCode() : result.errorCode()) + " "
                        + (response.errorMessage() != null ? response.errorMessage() : result.errorMessage()));
            }
        }
    }

    /** {@link #createTopic(String, int, Map)} without config overrides. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** A new raw client connected to this broker; close it when done. */
    public RawClient rawClient() {
        return RawClient.connect(address());
    }

    /** Stops the broker cleanly (see {@link Broker#stop()}). Idempotent. */
    public void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /**
     * Stops the broker as if its process had been killed ({@link Broker#halt()}): connections are
     * cut, and nothing is flushed, checkpointed or marked clean, so the next start recovers.
     * Bytes already written to files stay readable (they are in the page cache, as after a
     * process crash; a power loss is not simulated).
     */
    public void crash() {
        if (broker != null) {
            broker.halt();
        }
    }

    /**
     * Starts the broker again on the same data dir and port, after stopping it cleanly if it
     * still runs; after {@link #crash()} this is a restart after a crash (recovery runs).
     */
    public void restart() {
        stop();
        startBroker();
    }

    /** Stops cleanly. */
    @Override
    public void close() {
        stop();
    }
}
