package io.cairn.broker.partition;

import io.cairn.broker.fetch.FetchService;
import io.cairn.broker.fetch.OffsetLookupService;
import io.cairn.broker.produce.AppendService;
import io.cairn.broker.producer.ProducerIdManager;
import io.cairn.broker.producer.ProducerIdStore;
import io.cairn.broker.producer.ProducerStateStore;
import io.cairn.storage.TopicPartition;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's data path assembled: writer lanes, fetch readers, the append, fetch and
 * offset-lookup services, producer ids, and the periodic producer-state checkpoint (which also
 * expires idle producers). Front ends (the Cairn protocol handlers, later a Kafka listener) take
 * the services from here.
 *
 * <p>{@link #close()} is the clean shutdown: it lets queued appends finish, stores a producer-state
 * snapshot of every partition in use, then stops the threads. Thread-safe.
 */
public final class DataPathServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPathServices.class);
    /** How long stopping waits for queued appends, reads and the final snapshot. */
    private static final long SHUTDOWN_WAIT_MS = 10_000;

    /**
     * Settings of the data path.
     *
     * @param writerThreads          writer lanes (partitions are spread over them by hash)
     * @param readerThreads          threads that read logs for fetches and offset lookups
     * @param producerIdExpirationMs {@code producer.id.expiration.ms}
     * @param checkpointIntervalMs   how often producer state is snapshotted (bounds replay at start-up)
     * @param producerIdBlockSize    producer ids reserved per durable counter write
     */
    public record Settings(int writerThreads, int readerThreads, long producerIdExpirationMs,
                           long checkpointIntervalMs, int producerIdBlockSize) {
        public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000L;
        public static final int DEFAULT_PRODUCER_ID_BLOCK_SIZE = 1000;
    }

    private final Settings settings;
    private final LongSupplier clockMs;
    private final PartitionWriters writers;
    private final ExecutorService readers;
    private final ScheduledExecutorService scheduler;
    private final PartitionRegistry registry;
    private final AppendService appends;
    private final FetchService fetches;
    private final OffsetLookupService offsets;
    private final ProducerIdManager producerIds;

    public DataPathServices(Settings settings, Function<TopicPartition, PartitionLog> logs,
                            ProducerStateStore producerStateStore, ProducerIdStore producerIdStore,
                            DataPathMetrics metrics, LongSupplier clockMs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.writers = new PartitionWriters(settings.writerThreads());
        this.readers = Executors.newFixedThreadPool(settings.readerThreads(), daemonThreads("cairn-fetch-reader-"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("cairn-producer-checkpoint-"));
        this.registry = new PartitionRegistry(logs, writers, producerStateStore);
        this.appends = new AppendService(registry, metrics, clockMs);
        this.fetches = new FetchService(registry, readers, metrics);
        this.offsets = new OffsetLookupService(registry);
        this.producerIds = new ProducerIdManager(producerIdStore, settings.producerIdBlockSize());
        scheduler.scheduleWithFixedDelay(this::checkpoint, settings.checkpointIntervalMs(),
                settings.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
    }

    public AppendService appends() {
        return appends;
    }

    public FetchService fetches() {
        return fetches;
    }

    public OffsetLookupService offsets() {
        return offsets;
    }

    public ProducerIdManager producerIds() {
        return producerIds;
    }

    /** Threads for work that may touch the disk on behalf of an event loop (offset lookups). */
    public ExecutorService readers() {
        return readers;
    }

    public PartitionRegistry partitions() {
        return registry;
    }

    private void checkpoint() {
        try {
            registry.checkpointProducerState(clockMs.getAsLong(), settings.producerIdExpirationMs())
                    .get(settings.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("event=producer_checkpoint_failed", e);
        }
    }

    /** The broker stopped reading requests: answer parked long-polls now. */
    public void beginShutdown() {
        fetches.completeParked();
    }

    /**
     * Stops the threads and persists nothing, as a killed process would. Work already queued
     * still runs (so every request's buffers are released), but no thread is interrupted: an
     * interrupt in the middle of a file read or write would close storage's shared channel.
     */
    public void halt() {
        scheduler.shutdownNow();
        stopThreads();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            // queued on every lane behind the appends already submitted, so it reflects all of them
            registry.checkpointProducerState(clockMs.getAsLong(), settings.producerIdExpirationMs())
                    .get(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("event=producer_checkpoint_failed phase=shutdown", e);
        } finally {
            stopThreads();
        }
    }

    private void stopThreads() {
        readers.shutdown();
        try {
            if (!writers.shutdown(SHUTDOWN_WAIT_MS)) {
                LOG.warn("event=writer_lanes_not_drained waitedMs={}", SHUTDOWN_WAIT_MS);
            }
            if (!readers.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("event=fetch_readers_not_drained waitedMs={}", SHUTDOWN_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
