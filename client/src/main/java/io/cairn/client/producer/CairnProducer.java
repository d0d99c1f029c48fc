package io.cairn.client.producer;

import io.cairn.client.Headers;
import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.errors.InterruptException;
import io.cairn.client.errors.RecordTooLargeException;
import io.cairn.client.errors.SerializationException;
import io.cairn.client.internals.ClientIds;
import io.cairn.client.internals.Cluster;
import io.cairn.client.internals.Metadata;
import io.cairn.client.network.BrokerAddress;
import io.cairn.client.network.NetworkClient;
import io.cairn.client.network.NetworkSettings;
import io.cairn.client.serialization.ByteArraySerializer;
import io.cairn.client.serialization.Serializer;
import io.cairn.protocol.record.CompressionType;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to Cairn topics. {@link #send} serializes and partitions a record, appends it to its
 * partition's open batch and returns at once with a future; the producer's network thread ships ready
 * batches (see {@code docs/client.md} for batching, retries, idempotence and threading).
 *
 * <pre>{@code
 * try (CairnProducer<String, String> producer = CairnProducer.builder()
 *         .bootstrapServers("localhost:7390")
 *         .keySerializer(Serdes.stringSerializer())
 *         .valueSerializer(Serdes.stringSerializer())
 *         .build()) {
 *     producer.send(new ProducerRecord<>("orders", "order-1", "created")).join();
 * }
 * }</pre>
 *
 * <p><b>Thread-safety:</b> thread-safe; share one producer between threads (that batches best).
 * Callbacks run and futures complete on the producer's network thread (as Kafka's run on its I/O
 * thread), one at a time in the order records of a partition were acknowledged: keep them quick or
 * hand the work to your own executor, since every other record of the producer waits meanwhile. A
 * callback may call {@link #send}, which then never blocks (it fails at once where it would wait for
 * metadata or {@code buffer.memory}), and {@link #close}, which then closes without waiting;
 * {@link #flush} from a callback throws, as it would wait for the callback itself.
 *
 * <p><b>Errors:</b> {@code send} throws only for a record it cannot serialize
 * ({@link SerializationException}) or an interrupted thread ({@link InterruptException}); every other
 * failure completes the future exceptionally: {@link io.cairn.client.errors.TimeoutException} when
 * metadata or buffer space did not come within {@code max.block.ms} or delivery took longer than
 * {@code delivery.timeout.ms}, {@link RecordTooLargeException}, a
 * {@link io.cairn.client.errors.BrokerException} for a non-retriable broker error, or
 * {@link ClientClosedException} after close.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class CairnProducer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnProducer.class);

    private final ProducerConfig config;
    private final String clientId;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final MeterRegistry registry;
    private final NetworkClient network;
    private final Metadata metadata;
    private final BufferPool pool;
    private final RecordAccumulator accumulator;
    private final ProducerMetrics metrics;
    private final Sender sender;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One {@link TopicPartition} per partition of each topic sent to, so a send allocates none. */
    private final ConcurrentMap<String, TopicPartition[]> partitionsByTopic = new ConcurrentHashMap<>();
    // Read on every send: copied out of the config map once.
    private final long maxBlockMs;
    private final int maxRequestSize;
    private final long bufferMemory;

    private CairnProducer(Builder<K, V> builder) {
        this.config = new ProducerConfig(builder.settings);
        this.maxBlockMs = config.maxBlockMs();
        this.maxRequestSize = config.maxRequestSize();
        this.bufferMemory = config.bufferMemory();
        this.clientId = config.clientId().isEmpty() ? ClientIds.next("producer") : config.clientId();
        this.keySerializer = builder.keySerializer;
        this.valueSerializer = builder.valueSerializer;
        this.partitioner = builder.partitioner != null ? builder.partitioner : new DefaultPartitioner(config.batchSize());
        this.registry = builder.registry != null ? builder.registry : new SimpleMeterRegistry();
        Tags tags = Tags.of("client.id", clientId, "client.kind", "producer");
        List<BrokerAddress> bootstrap = BrokerAddress.parseAll(config.bootstrapServers());
        this.network = new NetworkClient(NetworkSettings.of(config, clientId), "cairn-producer-net-" + clientId,
                registry, tags);
        this.metadata = new Metadata(network, bootstrap, config.retryBackoffMs(), config.retryBackoffMaxMs(),
                config.metadataMaxAgeMs(), true);
        this.pool = new BufferPool(config.bufferMemory());
        this.accumulator = new RecordAccumulator(config.batchSize(), config.lingerMs(),
                CompressionType.forName(config.compressionType()), pool, this::wakeSenderFor);
        this.metrics = new ProducerMetrics(registry, tags, pool);
        // Record futures and callbacks complete right where the sender handles the answer, on the network thread.
        this.sender = new Sender(config, accumulator, metadata, network, Runnable::run, metrics);
        sender.start();
        log.info("producer {} started: bootstrap={} acks={} idempotence={} compression={}", clientId, bootstrap,
                config.stringValue(ProducerConfig.ACKS), config.idempotent(), config.compressionType());
    }

    /** A builder for a producer of byte-array keys and values; set serializers to change the types. */
    public static Builder<byte[], byte[]> builder() {
        return new Builder<>(new HashMap<>(), new ByteArraySerializer(), new ByteArraySerializer(), null, null);
    }

    /**
     * Sends a record asynchronously. Blocks only while waiting for the topic's metadata or for
     * {@code buffer.memory} space, together at most {@code max.block.ms}; called from a callback (on
     * the producer's network thread, which must not block) it waits for neither and the record fails
     * with a {@link io.cairn.client.errors.TimeoutException} when either is missing.
     *
     * @return a future completed with where the record was stored, or with the reason it was not
     * @throws SerializationException when the key or value cannot be serialized
     * @throws InterruptException when the calling thread is interrupted while blocked
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * Sends a record asynchronously as {@link #send(ProducerRecord)} does, and calls {@code callback}
     * with its outcome (Kafka's {@code send(record, callback)}): on the producer's network thread, in
     * acknowledgement order within a partition, just before the returned future completes; at once
     * on this thread when the record fails before it is queued. A callback costs less than a stage
     * attached to the future, which matters at hundreds of thousands of records per second.
     *
     * @param callback called once with the outcome; null for none
     * @return a future completed with where the record was stored, or with the reason it was not
     * @throws SerializationException when the key or value cannot be serialized (the callback is not called)
     * @throws InterruptException when the calling thread is interrupted while blocked (the callback is not called)
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        Objects.requireNonNull(record, "record");
        if (closed.get()) {
            return failed(new ClientClosedException("producer " + clientId
                    + " is closed; record for topic " + record.topic() + " not sent"), callback);
        }
        long startMs = System.currentTimeMillis();
        // A callback's send runs on the network thread, which must not wait: what it would wait for is
        // what that thread alone provides (metadata answers, memory freed by acknowledgements).
        boolean onNetworkThread = network.inNetworkThread();
        long blockMs = onNetworkThread ? 0 : maxBlockMs;
        try {
            Cluster cluster = metadata.awaitTopic(record.topic(), blockMs);
            Headers headers = record.headers();
            headers.setReadOnly();
            byte[] keyBytes = serialize(keySerializer, record.topic(), headers, record.key(), "key");
            byte[] valueBytes = serialize(valueSerializer, record.topic(), headers, record.value(), "value");
            int numPartitions = cluster.partitionCount(record.topic());
            int partition = record.partition() != null ? record.partition()
                    : partitioner.partition(record.topic(), record.key(), keyBytes, record.value(), valueBytes,
                    numPartitions);
            if (partition < 0 || partition >= numPartitions) {
                return failed(new CairnException("partition " + partition + " of topic " + record.topic()
                        + " does not exist: the topic has " + numPartitions + " partitions"), callback);
            }
            Header[] wireHeaders = toWireHeaders(headers);
            int size = estimateSize(keyBytes, valueBytes, wireHeaders);
            if (size > maxRequestSize) {
                return failed(new RecordTooLargeException("record for " + record.topic() + "-"
                        + partition + " is " + size + " bytes when serialized, more than max.request.size="
                        + maxRequestSize), callback);
            }
            if (size > bufferMemory) {
                return failed(new RecordTooLargeException("record for " + record.topic() + "-"
                        + partition + " is " + size + " bytes when serialized, more than buffer.memory="
                        + bufferMemory), callback);
            }
            long nowMs = System.currentTimeMillis();
            long remainingBlockMs = Math.max(0, blockMs - (nowMs - startMs));
            long timestamp = record.timestamp() != null ? record.timestamp() : nowMs;
            TopicPartition tp = topicPartition(record.topic(), partition, numPartitions);
            CompletableFuture<RecordMetadata> future = accumulator.append(tp, timestamp, keyBytes, valueBytes,
                    wireHeaders, callback, size, remainingBlockMs, nowMs);
            metrics.onSend();
            return future;
        } catch (SerializationException | InterruptException e) {
            throw e;
        } catch (io.cairn.client.errors.TimeoutException e) {
            return failed(onNetworkThread ? fromCallback(e) : e, callback);
        } catch (IllegalStateException e) {
            return failed(new ClientClosedException("producer " + clientId
                    + " closed while sending to " + record.topic()), callback);
        } catch (CairnException e) {
            return failed(e, callback);
        }
    }

    /** The reason a send from a callback did not wait, kept as the cause's type. */
    private static io.cairn.client.errors.TimeoutException fromCallback(io.cairn.client.errors.TimeoutException e) {
        String message = e.getMessage() + " (send() was called from a callback, on the producer's network thread, "
                + "where it cannot wait: that thread is the one that would end the wait)";
        io.cairn.client.errors.TimeoutException out = e instanceof BufferExhaustedException
                ? new BufferExhaustedException(message) : new io.cairn.client.errors.TimeoutException(message);
        out.initCause(e);
        return out;
    }

    private static CompletableFuture<RecordMetadata> failed(CairnException error, Callback callback) {
        if (callback != null) {
            ProducerBatch.runCallback(callback, null, error);
        }
        return CompletableFuture.failedFuture(error);
    }

    /**
     * Sends everything buffered now (ignoring {@code linger.ms}) and blocks until every record sent
     * before this call completed, successfully or not. Bounded by {@code delivery.timeout.ms}.
     *
     * @throws InterruptException when the calling thread is interrupted
     * @throws IllegalStateException when called from a callback: it would wait for the callback's own
     *                               batch, which completes only after the callback returns (Kafka refuses
     *                               this too)
     */
    public void flush() {
        if (network.inNetworkThread()) {
            throw new IllegalStateException("flush() called from a callback of producer " + clientId + ": callbacks "
                    + "run on the producer's network thread, and flush() would wait for that thread; flush from "
                    + "another thread");
        }
        accumulator.beginFlush();
        sender.wakeup();
        try {
            for (CompletableFuture<Void> f : accumulator.incompleteFutures()) {
                f.get();
            }
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while flushing producer " + clientId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch completion failed", e);
        } finally {
            accumulator.endFlush();
        }
    }

    /**
     * The partitions of {@code topic}, waiting up to {@code max.block.ms} for metadata (not at all
     * when called from a callback, on the network thread that brings metadata in).
     *
     * @throws io.cairn.client.errors.TimeoutException when the topic is not known in time
     */
    public List<TopicPartition> partitionsFor(String topic) {
        Cluster cluster = metadata.awaitTopic(topic, network.inNetworkThread() ? 0 : config.maxBlockMs());
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < cluster.partitionCount(topic); p++) {
            out.add(new TopicPartition(topic, p));
        }
        return out;
    }

    /** The registry holding this producer's meters ({@code cairn.client.*}). */
    public MeterRegistry metrics() {
        return registry;
    }

    /** The client id, given or generated. */
    public String clientId() {
        return clientId;
    }

    /** The idempotent producer id in use, -1 without idempotence or before one was obtained. */
    public long producerId() {
        return sender.producerId();
    }

    /** Closes, waiting up to {@code delivery.timeout.ms} for buffered records to be delivered. */
    @Override
    public void close() {
        close(Duration.ofMillis(config.deliveryTimeoutMs()));
    }

    /**
     * Stops accepting records, waits up to {@code timeout} for buffered and in-flight records to
     * complete, then fails what is left with {@link ClientClosedException} and releases every thread
     * and connection. {@code Duration.ZERO} closes at once. Called from a callback (on the network
     * thread, which completes what close would wait for) it closes at once without waiting, as
     * Kafka's does: the records not yet acknowledged fail once the callback returns.
     */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        accumulator.beginClose();
        if (network.inNetworkThread()) {
            log.warn("producer {} closed from a callback: closing without waiting for unacknowledged records", clientId);
            sender.forceClose();
            pool.close();
            partitioner.close();
            return; // the sender fails what is left and closes the network client on the thread's next task
        }
        log.info("closing producer {} (timeout {} ms)", clientId, timeout.toMillis());
        sender.initiateClose();
        try {
            if (!sender.awaitTermination(Math.max(1, timeout.toMillis()))) {
                sender.forceClose();
                if (!sender.awaitTermination(10_000)) {
                    log.warn("producer {} sender did not stop within 10 s of a forced close", clientId);
                }
            }
        } catch (InterruptedException e) {
            sender.forceClose();
            Thread.currentThread().interrupt();
        }
        pool.close();
        partitioner.close();
        network.close();
        log.info("producer {} closed", clientId);
    }

    /** The sender, for tests of its threading. */
    Sender sender() {
        return sender;
    }

    /** The accumulator's news that a partition turned sendable; the sender exists by the first send. */
    private void wakeSenderFor(TopicPartition tp) {
        sender.onSendable(tp);
    }

    private TopicPartition topicPartition(String topic, int partition, int numPartitions) {
        TopicPartition[] parts = partitionsByTopic.get(topic);
        if (parts == null || partition >= parts.length) {
            parts = new TopicPartition[Math.max(numPartitions, partition + 1)];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = new TopicPartition(topic, p);
            }
            partitionsByTopic.put(topic, parts);
        }
        return parts[partition];
    }

    private static <T> byte[] serialize(Serializer<T> serializer, String topic, Headers headers, T data, String what) {
        try {
            return serializer.serialize(topic, headers, data);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("could not serialize the " + what + " of a record for topic " + topic
                    + " with " + serializer.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private static Header[] toWireHeaders(Headers headers) {
        if (headers.isEmpty()) {
            return null;
        }
        Header[] out = new Header[headers.size()];
        int i = 0;
        for (io.cairn.client.Header h : headers) {
            out[i++] = new Header(h.key(), h.value());
        }
        return out;
    }

    /** An upper bound of the record's size in a batch of its own (varint overheads at their maximum). */
    static int estimateSize(byte[] key, byte[] value, Header[] headers) {
        long size = RecordBatchDescriptor.HEADER_SIZE + 5 + 1 + 10 + 5 + 5 + 5 + 5;
        size += key == null ? 0 : key.length;
        size += value == null ? 0 : value.length;
        if (headers != null) {
            for (Header h : headers) {
                size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /**
     * Configures a {@link CairnProducer}: typed setters for every setting, or {@link #config} with
     * Kafka-style keys (validated at {@link #build}, unknown keys and bad values named in the error).
     * Not thread-safe.
     *
     * @param <K> key type, fixed by {@link #keySerializer}
     * @param <V> value type, fixed by {@link #valueSerializer}
     */
    public static final class Builder<K, V> {
        private final Map<String, Object> settings;
        private final Serializer<K> keySerializer;
        private final Serializer<V> valueSerializer;
        private Partitioner partitioner;
        private MeterRegistry registry;

        private Builder(Map<String, Object> settings, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                        Partitioner partitioner, MeterRegistry registry) {
            this.settings = settings;
            this.keySerializer = keySerializer;
            this.valueSerializer = valueSerializer;
            this.partitioner = partitioner;
            this.registry = registry;
        }

        /** Sets a setting by its Kafka-style key, e.g. {@code config("linger.ms", 10)}. */
        public Builder<K, V> config(String key, Object value) {
            if (key.equals("key.serializer") || key.equals("value.serializer") || key.equals("partitioner.class")) {
                throw new io.cairn.client.errors.ConfigException(key + " is set with the builder's typed method "
                        + "(keySerializer, valueSerializer, partitioner), not as a config key");
            }
            settings.put(key, value);
            return this;
        }

        /** Sets every entry of {@code values} as {@link #config(String, Object)} does. */
        public Builder<K, V> config(Map<String, ?> values) {
            values.forEach(this::config);
            return this;
        }

        /** {@code bootstrap.servers}: brokers to discover the cluster from, as host:port. */
        public Builder<K, V> bootstrapServers(String... hostPorts) {
            return config(ProducerConfig.BOOTSTRAP_SERVERS, List.of(hostPorts));
        }

        /** {@code client.id}. */
        public Builder<K, V> clientId(String clientId) {
            return config(ProducerConfig.CLIENT_ID, clientId);
        }

        /** {@code acks}: "0", "1" or "all". */
        public Builder<K, V> acks(String acks) {
            return config(ProducerConfig.ACKS, acks);
        }

        /** {@code batch.size} in bytes. */
        public Builder<K, V> batchSize(int bytes) {
            return config(ProducerConfig.BATCH_SIZE, bytes);
        }

        /** {@code linger.ms}. */
        public Builder<K, V> lingerMs(long ms) {
            return config(ProducerConfig.LINGER_MS, ms);
        }

        /** {@code buffer.memory} in bytes. */
        public Builder<K, V> bufferMemory(long bytes) {
            return config(ProducerConfig.BUFFER_MEMORY, bytes);
        }

        /** {@code max.block.ms}. */
        public Builder<K, V> maxBlockMs(long ms) {
            return config(ProducerConfig.MAX_BLOCK_MS, ms);
        }

        /** {@code compression.type}. */
        public Builder<K, V> compressionType(CompressionType type) {
            return config(ProducerConfig.COMPRESSION_TYPE, type.configName());
        }

        /** {@code max.request.size} in bytes. */
        public Builder<K, V> maxRequestSize(int bytes) {
            return config(ProducerConfig.MAX_REQUEST_SIZE, bytes);
        }

        /** {@code max.in.flight.requests.per.connection}. */
        public Builder<K, V> maxInFlightRequestsPerConnection(int requests) {
            return config(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, requests);
        }

        /** {@code retries}. */
        public Builder<K, V> retries(int retries) {
            return config(ProducerConfig.RETRIES, retries);
        }

        /** {@code delivery.timeout.ms}. */
        public Builder<K, V> deliveryTimeoutMs(long ms) {
            return config(ProducerConfig.DELIVERY_TIMEOUT_MS, ms);
        }

        /** {@code enable.idempotence}. */
        public Builder<K, V> enableIdempotence(boolean enable) {
            return config(ProducerConfig.ENABLE_IDEMPOTENCE, enable);
        }

        /** {@code request.timeout.ms}. */
        public Builder<K, V> requestTimeoutMs(int ms) {
            return config(ProducerConfig.REQUEST_TIMEOUT_MS, ms);
        }

        /** {@code retry.backoff.ms}. */
        public Builder<K, V> retryBackoffMs(long ms) {
            return config(ProducerConfig.RETRY_BACKOFF_MS, ms);
        }

        /** {@code reconnect.backoff.ms}. */
        public Builder<K, V> reconnectBackoffMs(long ms) {
            return config(ProducerConfig.RECONNECT_BACKOFF_MS, ms);
        }

        /** {@code reconnect.backoff.max.ms}. */
        public Builder<K, V> reconnectBackoffMaxMs(long ms) {
            return config(ProducerConfig.RECONNECT_BACKOFF_MAX_MS, ms);
        }

        /** {@code metadata.max.age.ms}. */
        public Builder<K, V> metadataMaxAgeMs(long ms) {
            return config(ProducerConfig.METADATA_MAX_AGE_MS, ms);
        }

        /** The key serializer; fixes the key type. */
        public <K2> Builder<K2, V> keySerializer(Serializer<K2> serializer) {
            return new Builder<>(settings, Objects.requireNonNull(serializer, "key serializer"), valueSerializer,
                    partitioner, registry);
        }

        /** The value serializer; fixes the value type. */
        public <V2> Builder<K, V2> valueSerializer(Serializer<V2> serializer) {
            return new Builder<>(settings, keySerializer, Objects.requireNonNull(serializer, "value serializer"),
                    partitioner, registry);
        }

        /** A partitioner replacing the default (murmur2 for keys, sticky without). */
        public Builder<K, V> partitioner(Partitioner partitioner) {
            this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
            return this;
        }

        /** Where the producer's meters go; a private registry by default. */
        public Builder<K, V> meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Validates the settings and starts the producer (its network thread, which also runs the sender).
         *
         * @throws io.cairn.client.errors.ConfigException naming unknown keys or invalid values
         */
        public CairnProducer<K, V> build() {
            return new CairnProducer<>(this);
        }
    }
}
