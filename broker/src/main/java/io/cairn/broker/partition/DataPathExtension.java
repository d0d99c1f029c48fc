package io.cairn.broker.partition;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.config.BrokerConfigKeys;
import io.cairn.broker.config.TimestampType;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.fetch.FetchHandler;
import io.cairn.broker.fetch.ListOffsetsHandler;
import io.cairn.broker.metrics.MeterRegistration;
import io.cairn.broker.produce.ProduceHandler;
import io.cairn.broker.producer.InitProducerIdHandler;
import io.cairn.broker.producer.MetadataProducerStores;
import io.cairn.broker.producer.ProducerStateLoader;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import io.cairn.broker.metadata.TopicNames;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The data path in a broker: builds {@link DataPathServices} over the broker's storage and
 * metadata store, and serves Produce, Fetch, ListOffsets and InitProducerId through thin
 * handlers. Beginning shutdown answers parked long-polls; {@link #close()} snapshots producer
 * state; {@link #halt()} persists nothing.
 *
 * <p>Lifecycle calls come from the broker's controlling thread.
 */
public final class DataPathExtension implements BrokerExtension {
    /** Threads reading logs for fetches and offset lookups. */
    private static final Logger LOG = LoggerFactory.getLogger(DataPathExtension.class);
    public static final int READER_THREADS = 2;

    /**
     * What the data path is built on, owned by the broker (opened before and closed after the
     * extension).
     *
     * @param logs                storage's log manager: a partition exists when it has a log
     * @param metadata            the metadata store (producer state, producer-id counter)
     * @param metrics             the broker's metrics
     * @param logAppendTimeTopics whether a topic's {@code message.timestamp.type} is LogAppendTime
     */
    public record Resources(LogManager logs, MetadataStore metadata, BrokerMetrics metrics,
                            Predicate<String> logAppendTimeTopics) {
    }

    private final Function<BrokerContext, Resources> resources;
    private DataPathServices services;
    private List<MeterRegistration> gauges = List.of();

    /** The standard data path, on the broker's own storage, metadata store, metrics and topic registry. */
    public DataPathExtension() {
        this(DataPathExtension::fromContext);
    }

    /** @param resources what to build on, taken from the broker's context at start */
    public DataPathExtension(Function<BrokerContext, Resources> resources) {
        this.resources = Objects.requireNonNull(resources, "resources");
    }

    @Override
    public String name() {
        return "data path";
    }

    /** The running services (for tests and tools); null before start. */
    public DataPathServices services() {
        return services;
    }

    @Override
    public void start(BrokerContext context) {
        Resources r = resources.apply(context);
        MetadataProducerStores stores = new MetadataProducerStores(r.metadata(), () -> firstFreeProducerId(r));
        DataPathServices.Settings settings = new DataPathServices.Settings(
                context.config().get(BrokerConfigKeys.IO_THREADS), READER_THREADS,
                context.config().get(BrokerConfigKeys.PRODUCER_ID_EXPIRATION_MS),
                DataPathServices.Settings.DEFAULT_CHECKPOINT_INTERVAL_MS,
                DataPathServices.Settings.DEFAULT_PRODUCER_ID_BLOCK_SIZE);
        BrokerDataPathMetrics metrics = new BrokerDataPathMetrics(r.metrics());
        StorageLogs logs = new StorageLogs(r.logs(), r.logAppendTimeTopics());
        services = new DataPathServices(settings, logs, stores, stores, metrics, System::currentTimeMillis);
        gauges = metrics.bindWaiting(services);
        r.logs().flushService().forceListener(metrics::forced);
        // appends made by others (the group coordinator's offsets topic) wake parked fetches too
        PartitionRegistry partitions = services.partitions();
        context.addEndOffsetListener((log, endOffset) -> partitions.wakeWaiters(log.topicPartition()));

        ProduceHandler produce = new ProduceHandler(services.appends(), autoCreate(context));
        FetchHandler fetch = new FetchHandler(services.fetches());
        ListOffsetsHandler listOffsets = new ListOffsetsHandler(services.offsets(), services.readers(),
                StoragePartitionLog.LEADER_EPOCH);
        InitProducerIdHandler initProducerId = new InitProducerIdHandler(services.producerIds(), context.ioExecutor());
        context.dispatcher().register(ApiSpecs.PRODUCE, (ctx, request) -> produce.handle(request, ctx.eventLoop()));
        context.dispatcher().register(ApiSpecs.FETCH, (ctx, request) -> fetch.handle(request, ctx.eventLoop(),
                ctx.connection().closeFuture()));
        context.dispatcher().register(ApiSpecs.LIST_OFFSETS,
                (ctx, request) -> listOffsets.handle(request, ctx.eventLoop()));
        context.dispatcher().register(ApiSpecs.INIT_PRODUCER_ID,
                (ctx, request) -> initProducerId.handle(request, ctx.eventLoop()));
    }

    /**
     * Where producer ids start when the metadata store holds no counter: above the largest producer
     * id in any log (0 on a new broker). Scans the batch headers of every log once, the first time a
     * producer id is asked for after the store was lost.
     */
    private static long firstFreeProducerId(Resources r) {
        long startNanos = System.nanoTime();
        long max = -1;
        int scanned = 0;
        for (Log log : r.logs().logs()) {
            max = Math.max(max, ProducerStateLoader.largestProducerId(new StoragePartitionLog(log, r.logs(), t -> false)));
            scanned++;
        }
        if (max >= 0) {
            LOG.warn("event=producer_id_counter_rebuilt reason=absent_from_metadata_store largestProducerIdInLogs={}"
                    + " nextProducerId={} partitionsScanned={} ms={}", max, max + 1, scanned,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
        return max + 1;
    }

    /**
     * With {@code auto.create.topics.enable}, a produce to a missing (non-internal) topic creates
     * it with {@code num.partitions}, in the background; the produce is answered
     * UNKNOWN_TOPIC_OR_PARTITION (retriable) and the client's retry finds the topic.
     */
    private static Consumer<String> autoCreate(BrokerContext context) {
        if (!context.config().autoCreateTopicsEnable()) {
            return topic -> { };
        }
        return topic -> {
            if (!TopicNames.isInternal(topic) && context.topics().liveTopic(topic).isEmpty()) {
                context.topicAdmin().create(topic, -1, Map.of(), false, "produce (auto.create.topics.enable)");
            }
        };
    }

    private static Resources fromContext(BrokerContext context) {
        TopicRegistry topics = context.topics();
        return new Resources(context.logManager(), context.metadataStore(), context.metrics(),
                topic -> topics.config(topic)
                        .map(config -> config.messageTimestampType() == TimestampType.LOG_APPEND_TIME)
                        .orElse(false));
    }

    @Override
    public void beginShutdown() {
        if (services != null) {
            services.beginShutdown();
        }
    }

    @Override
    public void close() {
        closeGauges();
        if (services != null) {
            services.close();
        }
    }

    @Override
    public void halt() {
        closeGauges();
        if (services != null) {
            services.halt();
        }
    }

    private void closeGauges() {
        for (MeterRegistration gauge : gauges) {
            gauge.close();
        }
        gauges = List.of();
    }
}
