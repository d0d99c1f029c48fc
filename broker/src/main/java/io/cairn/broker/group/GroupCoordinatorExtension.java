package io.cairn.broker.group;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.broker.group.handler.FindCoordinatorHandler;
import io.cairn.broker.group.handler.GroupHandlers;
import io.cairn.broker.group.storage.OffsetsTopicLogs;
import io.cairn.broker.metadata.MetadataStore;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.partition.StorageLogs;
import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The group coordinator in a broker: builds the {@link GroupCoordinator} over the partitions of
 * {@code __consumer_offsets} and the group-offsets view, registers the seven group APIs, keeps the
 * lag gauges fresh. The partitions are loaded in the background: the broker listens at once and
 * groups answer COORDINATOR_LOAD_IN_PROGRESS until theirs is loaded.
 *
 * <p>Whoever changes topics (the topic admin APIs) must call {@link #topicsChanged()} afterwards.
 * Lifecycle calls come from the broker's controlling thread; {@link #topicsChanged()} from any.
 */
public final class GroupCoordinatorExtension implements BrokerExtension {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorExtension.class);
    /** How often the lag gauges re-read the committed offsets. */
    static final long LAG_REFRESH_INTERVAL_MS = 10_000;

    /**
     * What the coordinator is built on, owned by the broker (opened before and closed after the
     * extension).
     *
     * @param logs                   storage's log manager, holding the {@code __consumer_offsets} partitions
     * @param metadata               the metadata store (the group-offsets view); null to load from the log only
     * @param metrics                the broker's metrics (lag gauges); null for none
     * @param offsetsTopicPartitions partitions of the existing {@code __consumer_offsets}
     * @param topics                 the live topics now: name → partition count
     * @param endpoint               where clients reach this broker (read per FindCoordinator)
     */
    public record Resources(LogManager logs, MetadataStore metadata, BrokerMetrics metrics, int offsetsTopicPartitions,
                            Supplier<Map<String, Integer>> topics, Supplier<FindCoordinatorHandler.Endpoint> endpoint) {
        public Resources {
            Objects.requireNonNull(logs, "logs");
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    private final Function<BrokerContext, Resources> resources;
    private volatile GroupCoordinator coordinator;
    private volatile Resources running;
    private GroupLagMetrics lag;
    private ScheduledFuture<?> lagRefresh;
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** @param resources what to build on, taken from the broker's context at start */
    public GroupCoordinatorExtension(Function<BrokerContext, Resources> resources) {
        this.resources = Objects.requireNonNull(resources, "resources");
    }

    @Override
    public String name() {
        return "group coordinator";
    }

    /** The running coordinator (for tests and tools); null before start. */
    public GroupCoordinator coordinator() {
        return coordinator;
    }

    /** Completes when every partition of {@code __consumer_offsets} is loaded. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    /** Hands the coordinator the current topics after a topic was created, deleted or grown. */
    public CompletableFuture<Void> topicsChanged() {
        GroupCoordinator current = coordinator;
        Resources r = running;
        if (current == null || r == null) {
            return CompletableFuture.completedFuture(null);
        }
        return current.updateTopics(r.topics().get());
    }

    @Override
    public void start(BrokerContext context) {
        Resources r = resources.apply(context);
        running = r;
        GroupCoordinatorConfig config = GroupCoordinatorConfig.from(context.config(), r.offsetsTopicPartitions());
        StorageLogs logs = new StorageLogs(r.logs());
        coordinator = new GroupCoordinator(config, new OffsetsTopicLogs(logs, r.metadata(), System::currentTimeMillis),
                System::currentTimeMillis);
        loaded = coordinator.start(r.topics().get());
        loaded.whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.error("group coordinator: loading __consumer_offsets failed; affected groups are unavailable: {}",
                        error.toString());
            }
        });
        ToLongFunction<TopicPartition> highWatermark = tp -> r.logs()
                .log(new io.cairn.storage.TopicPartition(tp.topic(), tp.partition()))
                .map(Log::highWatermark).orElse(-1L);
        GroupHandlers.register(context.dispatcher(), coordinator, r.endpoint(), highWatermark);
        if (r.metrics() != null) {
            lag = new GroupLagMetrics(r.metrics(), highWatermark);
            GroupCoordinator current = coordinator;
            lagRefresh = context.scheduler().scheduleWithFixedDelay(() -> lag.refresh(current),
                    LAG_REFRESH_INTERVAL_MS, LAG_REFRESH_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        if (lagRefresh != null) {
            lagRefresh.cancel(false);
        }
        if (lag != null) {
            lag.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }
}
