package io.cairn.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The broker's metrics: one facade over a Micrometer registry with cheap methods for the request
 * path. Names start with {@code cairn.}; Prometheus renders {@code cairn.bytes.in} as
 * {@code cairn_bytes_in_total}. Meters per topic and per API are created on first use and cached
 * in maps keyed by the name, so recording is a map lookup plus lock-free adds, with no allocation
 * and no Tags built per call.
 *
 * <p>Thread-safe. Gauges registered with suppliers are read on the scrape thread, so the
 * suppliers must be safe to call from any thread (read a volatile, not a lock held for long).
 *
 * <table>
 *   <caption>Meters (Prometheus names)</caption>
 *   <tr><td>cairn_bytes_in_total, cairn_records_in_total {topic}</td><td>produced</td></tr>
 *   <tr><td>cairn_bytes_out_total, cairn_records_out_total {topic}</td><td>fetched</td></tr>
 *   <tr><td>cairn_requests_total, cairn_request_errors_total {api}</td><td>requests answered, of which errors</td></tr>
 *   <tr><td>cairn_request_latency_seconds {api, quantile=0.5|0.95|0.99}</td><td>request latency summary</td></tr>
 *   <tr><td>cairn_purgatory_waiting {purgatory}</td><td>produce/fetch requests waiting</td></tr>
 *   <tr><td>cairn_log_flush_latency_seconds {quantile}</td><td>time an acks=all produce waited for its fsync</td></tr>
 *   <tr><td>cairn_log_flush_batches_per_force, cairn_log_flush_records_per_force {quantile}</td><td>acks=all appends / records made durable by one force</td></tr>
 *   <tr><td>cairn_log_force_latency_seconds {quantile}</td><td>duration of one fsync of a partition log</td></tr>
 *   <tr><td>cairn_partitions</td><td>partitions hosted</td></tr>
 *   <tr><td>cairn_log_dir_offline</td><td>1 while the data directory is offline after an I/O error</td></tr>
 *   <tr><td>cairn_log_size_bytes, cairn_log_segments {topic, partition}</td><td>per partition</td></tr>
 *   <tr><td>cairn_connections_open, cairn_connections_accepted_total</td><td>client connections</td></tr>
 *   <tr><td>cairn_consumer_lag {group, topic, partition}</td><td>records behind the log end</td></tr>
 * </table>
 * Plus the JVM's: memory, GC, threads, class loading, CPU, uptime, file descriptors.
 */
public final class BrokerMetrics implements AutoCloseable {

    public static final String BYTES_IN = "cairn.bytes.in";
    public static final String RECORDS_IN = "cairn.records.in";
    public static final String BYTES_OUT = "cairn.bytes.out";
    public static final String RECORDS_OUT = "cairn.records.out";
    public static final String REQUESTS = "cairn.requests";
    public static final String REQUEST_ERRORS = "cairn.request.errors";
    public static final String REQUEST_LATENCY = "cairn.request.latency";
    public static final String PURGATORY_WAITING = "cairn.purgatory.waiting";
    public static final String FLUSH_LATENCY = "cairn.log.flush.latency";
    public static final String FLUSH_BATCHES_PER_FORCE = "cairn.log.flush.batches.per.force";
    public static final String FLUSH_RECORDS_PER_FORCE = "cairn.log.flush.records.per.force";
    public static final String FORCE_LATENCY = "cairn.log.force.latency";
    public static final String PARTITIONS = "cairn.partitions";
    public static final String LOG_DIR_OFFLINE = "cairn.log.dir.offline";
    public static final String LOG_SIZE = "cairn.log.size";
    public static final String LOG_SEGMENTS = "cairn.log.segments";
    public static final String CONNECTIONS_OPEN = "cairn.connections.open";
    public static final String CONNECTIONS_ACCEPTED = "cairn.connections.accepted";
    public static final String CONSUMER_LAG = "cairn.consumer.lag";

    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gcMetrics;
    private final ConcurrentHashMap<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ApiMeters> apis = new ConcurrentHashMap<>();
    private final Timer flushLatency;
    private final DistributionSummary batchesPerForce;
    private final DistributionSummary recordsPerForce;
    private final Timer forceLatency;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Counter connectionsAccepted;

    private BrokerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, boolean bindJvm) {
        this.registry = registry;
        this.prometheus = prometheus;
        if (bindJvm) {
            new JvmMemoryMetrics().bindTo(registry);
            gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } else {
            gcMetrics = null;
        }
        this.flushLatency = Timer.builder(FLUSH_LATENCY)
                .description("Time an acks=all produce waited for the force (fsync) that covered it")
                .publishPercentiles(PERCENTILES)
                .register(registry);
        this.batchesPerForce = DistributionSummary.builder(FLUSH_BATCHES_PER_FORCE)
                .description("acks=all appends (a partition's batches of one produce request) acknowledged by one force")
                .publishPercentiles(PERCENTILES)
                .register(registry);
        this.recordsPerForce = DistributionSummary.builder(FLUSH_RECORDS_PER_FORCE)
                .description("Records (offsets) made durable by one force of a partition log")
                .publishPercentiles(PERCENTILES)
                .register(registry);
        this.forceLatency = Timer.builder(FORCE_LATENCY)
                .description("Duration of one force (fdatasync) of a partition log")
                .publishPercentiles(PERCENTILES)
                .register(registry);
        Gauge.builder(CONNECTIONS_OPEN, openConnections, AtomicInteger::get)
                .description("Client connections open now")
                .register(registry);
        this.connectionsAccepted = Counter.builder(CONNECTIONS_ACCEPTED)
                .description("Client connections accepted since start")
                .register(registry);
    }

    /** A Prometheus-backed instance with the JVM binders, as the broker runs it. */
    public static BrokerMetrics prometheus() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new BrokerMetrics(r, r, true);
    }

    /** An instance over any registry (tests, embedding), without JVM binders. */
    public static BrokerMetrics over(MeterRegistry registry) {
        return new BrokerMetrics(registry, registry instanceof PrometheusMeterRegistry ? (PrometheusMeterRegistry) registry : null, false);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The Prometheus text exposition (format 0.0.4) of every meter.
     *
     * @throws IllegalStateException when this instance is not Prometheus-backed
     */
    public String scrape() {
        if (prometheus == null) {
            throw new IllegalStateException("metrics registry " + registry.getClass().getSimpleName() + " is not Prometheus");
        }
        return prometheus.scrape();
    }

    // ---- per topic --------------------------------------------------------------------------

    /** The cached traffic meters of a topic, created on first use. */
    public TopicMeters topic(String topic) {
        TopicMeters m = topics.get(topic);
        return m != null ? m : topics.computeIfAbsent(topic, this::newTopicMeters);
    }

    private TopicMeters newTopicMeters(String topic) {
        Tags tags = Tags.of("topic", topic);
        return new TopicMeters(topic,
                Counter.builder(BYTES_IN).tags(tags).description("Record batch bytes appended").register(registry),
                Counter.builder(RECORDS_IN).tags(tags).description("Records appended").register(registry),
                Counter.builder(BYTES_OUT).tags(tags).description("Record batch bytes sent to consumers").register(registry),
                Counter.builder(RECORDS_OUT).tags(tags).description("Records sent to consumers").register(registry));
    }

    public void recordIn(String topic, long bytes, long records) {
        topic(topic).recordIn(bytes, records);
    }

    public void recordOut(String topic, long bytes, long records) {
        topic(topic).recordOut(bytes, records);
    }

    /** Drops a deleted topic's traffic meters. */
    public void removeTopic(String topic) {
        TopicMeters m = topics.remove(topic);
        if (m != null) {
            registry.remove(m.bytesIn);
            registry.remove(m.recordsIn);
            registry.remove(m.bytesOut);
            registry.remove(m.recordsOut);
        }
    }

    // ---- per API ----------------------------------------------------------------------------

    /** The cached request meters of an API, by its name (e.g. {@code Produce}), created on first use. */
    public ApiMeters api(String api) {
        ApiMeters m = apis.get(api);
        return m != null ? m : apis.computeIfAbsent(api, this::newApiMeters);
    }

    private ApiMeters newApiMeters(String api) {
        Tags tags = Tags.of("api", api);
        return new ApiMeters(api,
                Counter.builder(REQUESTS).tags(tags).description("Requests answered").register(registry),
                Counter.builder(REQUEST_ERRORS).tags(tags).description("Requests answered with an error code").register(registry),
                Timer.builder(REQUEST_LATENCY).tags(tags)
                        .description("Time from reading a request to handing its response to the network")
                        .publishPercentiles(PERCENTILES)
                        .register(registry));
    }

    public void recordRequest(String api, long latencyNanos) {
        api(api).record(latencyNanos);
    }

    public void recordRequestError(String api) {
        api(api).recordError();
    }

    // ---- storage ----------------------------------------------------------------------------

    /** An acks=all produce waited {@code nanos} for the force (fsync) that covered it. */
    public void recordFlush(long nanos) {
        flushLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One force of a partition log: the acks=all appends it acknowledged, the records it made durable, its duration. */
    public void recordForce(int batches, long records, long nanos) {
        batchesPerForce.record(batches);
        recordsPerForce.record(records);
        forceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Reports how many produce or fetch requests wait in a purgatory ({@code produce}, {@code fetch}). */
    public MeterRegistration bindPurgatory(String purgatory, IntSupplier waiting) {
        return register(Gauge.builder(PURGATORY_WAITING, waiting, s -> s.getAsInt())
                .tag("purgatory", purgatory)
                .description("Requests waiting in a purgatory (acks=all produce for fsync, long-poll fetch for data)")
                .strongReference(true)
                .register(registry));
    }

    /** Reports the number of partitions hosted. */
    public MeterRegistration bindPartitionCount(IntSupplier partitions) {
        return register(Gauge.builder(PARTITIONS, partitions, s -> s.getAsInt())
                .description("Partitions hosted by this broker")
                .strongReference(true)
                .register(registry));
    }

    /** Reports 1 while the data directory is offline after an I/O error (failed fsync or write), else 0. */
    public MeterRegistration bindLogDirOffline(IntSupplier offline) {
        return register(Gauge.builder(LOG_DIR_OFFLINE, offline, s -> s.getAsInt())
                .description("1 while the data directory is offline after an I/O error (no appends until restart)")
                .strongReference(true)
                .register(registry));
    }

    /** Reports a partition's log size and segment count; close the registration when the partition goes. */
    public MeterRegistration registerPartition(String topic, int partition, LongSupplier sizeBytes, IntSupplier segments) {
        Tags tags = Tags.of("topic", topic, "partition", Integer.toString(partition));
        return register(
                Gauge.builder(LOG_SIZE, sizeBytes, s -> s.getAsLong()).tags(tags).baseUnit("bytes")
                        .description("Size of the partition log, all segments").strongReference(true).register(registry),
                Gauge.builder(LOG_SEGMENTS, segments, s -> s.getAsInt()).tags(tags)
                        .description("Segments of the partition log").strongReference(true).register(registry));
    }

    // ---- connections ------------------------------------------------------------------------

    public void connectionOpened() {
        openConnections.incrementAndGet();
        connectionsAccepted.increment();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    public int openConnections() {
        return openConnections.get();
    }

    // ---- groups -----------------------------------------------------------------------------

    /** Reports a group's lag on a partition (log end offset minus committed offset). */
    public MeterRegistration registerConsumerLag(String group, String topic, int partition, LongSupplier lag) {
        return register(Gauge.builder(CONSUMER_LAG, lag, s -> s.getAsLong())
                .tags("group", group, "topic", topic, "partition", Integer.toString(partition))
                .description("Records between a group's committed offset and the log end offset")
                .strongReference(true)
                .register(registry));
    }

    private MeterRegistration register(Meter... meters) {
        return new MeterRegistration(registry, List.of(meters));
    }

    /** Unbinds the JVM listeners and closes the registry. */
    @Override
    public void close() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        registry.close();
    }
}
