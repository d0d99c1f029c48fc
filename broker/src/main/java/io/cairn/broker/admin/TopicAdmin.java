package io.cairn.broker.admin;

import io.cairn.broker.metadata.TopicError;
import io.cairn.broker.metadata.TopicMetadata;
import io.cairn.broker.metadata.TopicNames;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.broker.metadata.TopicResult;
import io.cairn.broker.metrics.BrokerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic administration as a service: create, delete, grow and reconfigure topics through the
 * {@link TopicRegistry}, which keeps the registry and the partition logs consistent across
 * crashes. Knows nothing of the wire protocol; the Cairn admin handlers (and a Kafka listener
 * later) call it.
 *
 * <p>Every operation writes to RocksDB with fsync and creates or renames directories, so it runs
 * on the broker's I/O executor, never on the caller's thread; the returned future completes
 * there. Operations run one at a time (the registry serializes them anyway), which also makes the
 * read-modify-write of {@link #alterConfigs} atomic. Thread-safe.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private final TopicRegistry registry;
    private final BrokerMetrics metrics;
    private final Executor ioExecutor;
    private final Object lock = new Object();

    public TopicAdmin(TopicRegistry registry, BrokerMetrics metrics, Executor ioExecutor) {
        this.registry = registry;
        this.metrics = metrics;
        this.ioExecutor = ioExecutor;
    }

    /** The registry, for lookups (lock-free, any thread). */
    public TopicRegistry registry() {
        return registry;
    }

    /**
     * Creates a user topic.
     *
     * @param partitions partition count, -1 for {@code num.partitions}
     * @param configs    topic config overrides
     */
    public CompletableFuture<TopicResult> create(String name, int partitions, Map<String, String> configs,
                                                 boolean validateOnly, String requester) {
        return run(() -> {
            TopicResult result = registry.create(name, partitions, configs, validateOnly);
            if (result.isOk() && !validateOnly) {
                log.info("created topic={} partitions={} topicId={} overrides={} for {}", name,
                        result.topic().partitionCount(), result.topic().topicId(), result.topic().overrides(), requester);
            }
            return result;
        });
    }

    /** Deletes a user topic (internal topics are refused); its data goes with it. */
    public CompletableFuture<TopicResult> delete(String name, String requester) {
        return run(() -> {
            TopicResult result = registry.delete(name);
            if (result.isOk()) {
                metrics.removeTopic(name);
                log.info("deleted topic={} partitions={} for {}", name, result.topic().partitionCount(), requester);
            }
            return result;
        });
    }

    /** Grows a user topic to {@code count} partitions. */
    public CompletableFuture<TopicResult> addPartitions(String name, int count, boolean validateOnly, String requester) {
        return run(() -> {
            int before = registry.liveTopic(name).map(TopicMetadata::partitionCount).orElse(-1);
            TopicResult result = registry.addPartitions(name, count, validateOnly);
            if (result.isOk() && !validateOnly) {
                log.info("topic={} grew from {} to {} partitions for {}", name, before, count, requester);
            }
            return result;
        });
    }

    /**
     * Changes some of a topic's config overrides: a present value sets the key, an empty one
     * removes the override (back to the broker default); keys not mentioned keep their value.
     * Internal topics keep the keys the broker requires of them ({@link #PROTECTED_INTERNAL_KEY}).
     */
    public CompletableFuture<TopicResult> alterConfigs(String name, Map<String, Optional<String>> changes,
                                                       boolean validateOnly, String requester) {
        return run(() -> {
            Optional<TopicMetadata> topic = registry.liveTopic(name);
            if (topic.isEmpty()) {
                return TopicResult.failed(TopicError.UNKNOWN_TOPIC, "topic " + name + " does not exist");
            }
            if (TopicNames.isInternal(name) && changes.containsKey(PROTECTED_INTERNAL_KEY)) {
                return TopicResult.failed(TopicError.RESERVED_TOPIC_NAME, "topic " + name + " is internal: its "
                        + PROTECTED_INTERNAL_KEY + " is fixed by the broker");
            }
            Map<String, String> overrides = new LinkedHashMap<>(topic.get().overrides().asMap());
            changes.forEach((key, value) -> {
                if (value.isPresent()) {
                    overrides.put(key, value.get());
                } else {
                    overrides.remove(key);
                }
            });
            TopicResult result = registry.alterConfigs(name, overrides, validateOnly);
            if (result.isOk() && !validateOnly) {
                log.info("topic={} config overrides now {} for {}", name, result.topic().overrides(), requester);
            }
            return result;
        });
    }

    /** The key of an internal topic nobody may change ({@code __consumer_offsets} must stay compacted). */
    public static final String PROTECTED_INTERNAL_KEY = "cleanup.policy";

    private CompletableFuture<TopicResult> run(Supplier<TopicResult> operation) {
        return CompletableFuture.supplyAsync(() -> {
            synchronized (lock) {
                return operation.get();
            }
        }, ioExecutor);
    }
}
