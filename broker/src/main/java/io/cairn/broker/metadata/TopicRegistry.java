package io.cairn.broker.metadata;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.ConfigException;
import io.cairn.broker.config.TopicConfig;
import io.cairn.broker.config.TopicOverrides;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic registry: topic name to id, partition count, config overrides and state, kept in the
 * {@link MetadataStore} and consistent with the partition directories on disk through the
 * protocols described in {@code docs/metadata.md}:
 * <ul>
 *   <li>create: write CREATING, create the partitions, write LIVE;</li>
 *   <li>delete: write DELETING, delete the partitions, remove the entry;</li>
 *   <li>add partitions: write the new count with "partitions pending", create them, clear the flag.</li>
 * </ul>
 * Each registry write is fsynced before the next step, so after a crash {@link #reconcile} finds
 * either a finished operation or a marked one, and rolls it forward.
 *
 * <p>Thread-safety: lookups are lock-free reads of immutable snapshots and may be called from any
 * thread (request path). Mutations are serialized on this object and call the
 * {@link PartitionLifecycle}, which may block on the file system: call them from an I/O thread,
 * never from a Netty event loop.
 */
public final class TopicRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRegistry.class);

    static final byte[] INITIALIZED_KEY = "topic-registry.initialized".getBytes(StandardCharsets.US_ASCII);

    private record Entry(TopicMetadata meta, TopicConfig config) {
    }

    private final MetadataStore store;
    private final BrokerConfig broker;
    private final PartitionLifecycle partitions;
    private final ConcurrentHashMap<String, Entry> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Entry> byId = new ConcurrentHashMap<>();
    private volatile boolean reconciled;

    private TopicRegistry(MetadataStore store, BrokerConfig broker, PartitionLifecycle partitions) {
        this.store = store;
        this.broker = broker;
        this.partitions = partitions;
    }

    /**
     * Reads every registered topic from the store. Call {@link #reconcile} next, before serving.
     *
     * @throws MetadataStoreException when an entry is corrupt or holds a config this broker rejects
     */
    public static TopicRegistry load(MetadataStore store, BrokerConfig broker, PartitionLifecycle partitions) {
        TopicRegistry registry = new TopicRegistry(store, broker, partitions);
        List<TopicMetadata> found = new ArrayList<>();
        store.scan(Keyspace.TOPICS, new byte[0], (key, value) -> {
            String name = TopicRecordCodec.topicName(key);
            found.add(TopicRecordCodec.decode(name, value, store.get(Keyspace.CONFIGS, TopicRecordCodec.configKey(name))));
            return true;
        });
        for (TopicMetadata t : found) {
            registry.publish(t);
        }
        LOG.info("topic registry loaded topics={}", found.size());
        return registry;
    }

    // ---- start-up ---------------------------------------------------------------------------

    /**
     * Makes the registry and the partition directories agree after any shutdown, clean or not,
     * and even when the metadata store was lost. Never deletes data except of topics whose
     * deletion was requested (state DELETING):
     * <ol>
     *   <li>DELETING topics: their remaining partitions are deleted and the entry removed;</li>
     *   <li>CREATING topics and topics with partitions pending: missing partitions are created,
     *       the topic becomes LIVE;</li>
     *   <li>directories of registered topics beyond their partition count: the count is raised to
     *       cover them (warning);</li>
     *   <li>missing directories of LIVE topics: recreated empty (warning: their data is gone);</li>
     *   <li>directories of unregistered topics: the topic is registered with partition count =
     *       highest index + 1 and default configs (or an internal topic's required overrides), a
     *       new topic id, and a warning. When the store was new this rebuilds the whole registry.</li>
     * </ol>
     *
     * @param onDisk         every {@code <topic>-<partition>} directory in data.dir ({@link PartitionDirScanner})
     * @param internalTopics the broker's internal topics, whose overrides a rebuild restores
     * @throws IOException when creating or deleting a partition fails; start-up should stop
     */
    public synchronized ReconcileReport reconcile(Set<TopicPartition> onDisk, List<InternalTopic> internalTopics)
            throws IOException {
        boolean initialized = store.get(Keyspace.META, INITIALIZED_KEY) != null;
        boolean rebuilt = !initialized && !onDisk.isEmpty();
        if (rebuilt) {
            LOG.warn("metadata store {} holds no topic registry but {} partition directories exist: rebuilding the "
                    + "registry from them; topic config overrides are lost and defaults apply", store.directory(), onDisk.size());
        }
        Map<String, TreeSet<Integer>> disk = new TreeMap<>();
        for (TopicPartition d : onDisk) {
            disk.computeIfAbsent(d.topic(), t -> new TreeSet<>()).add(d.partition());
        }
        List<String> rolledForward = new ArrayList<>();
        List<String> deletesFinished = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        List<String> extended = new ArrayList<>();
        List<TopicPartition> recreated = new ArrayList<>();

        List<Entry> entries = new ArrayList<>(byName.values());
        entries.sort(Comparator.comparing(e -> e.meta.name()));
        for (Entry e : entries) {
            TopicMetadata t = e.meta;
            TreeSet<Integer> present = disk.getOrDefault(t.name(), new TreeSet<>());
            disk.remove(t.name());
            if (t.state() == TopicState.DELETING) {
                TreeSet<Integer> toDelete = new TreeSet<>(present);
                for (int p = 0; p < t.partitionCount(); p++) {
                    toDelete.add(p);
                }
                for (int p : toDelete) {
                    deletePartition(t.name(), p);
                }
                remove(t);
                deletesFinished.add(t.name());
                LOG.warn("finished deleting topic={} partitions={} interrupted by a shutdown", t.name(), t.partitionCount());
                continue;
            }
            int count = t.partitionCount();
            if (!present.isEmpty() && present.last() >= count) {
                int newCount = present.last() + 1;
                LOG.warn("topic={} has partition directories up to {} but a partition count of {}: raising it to {}",
                        t.name(), present.last(), count, newCount);
                count = newCount;
                extended.add(t.name());
            }
            boolean completing = t.state() == TopicState.CREATING || t.partitionsPending();
            TopicMetadata target = new TopicMetadata(t.name(), t.topicId(), count, t.overrides(), TopicState.LIVE, false);
            TopicConfig config = TopicConfig.resolve(target.overrides(), broker);
            for (int p = 0; p < count; p++) {
                if (!present.contains(p)) {
                    createPartition(target, config, p);
                    if (!completing && p < t.partitionCount()) {
                        recreated.add(new TopicPartition(t.name(), p));
                        LOG.warn("partition directory {} of LIVE topic={} was missing: recreated empty; any data it held is gone",
                                new TopicPartition(t.name(), p).dirName(), t.name());
                    }
                }
            }
            if (completing) {
                rolledForward.add(t.name());
                LOG.warn("completed {} of topic={} partitions={} interrupted by a shutdown",
                        t.state() == TopicState.CREATING ? "creation" : "partition addition", t.name(), count);
            }
            if (!target.equals(t)) {
                persist(target);
                publish(target);
            }
        }

        Map<String, InternalTopic> internal = new HashMap<>();
        for (InternalTopic it : internalTopics) {
            internal.put(it.name(), it);
        }
        for (Map.Entry<String, TreeSet<Integer>> d : disk.entrySet()) {
            String name = d.getKey();
            int count = d.getValue().last() + 1;
            InternalTopic spec = internal.get(name);
            TopicOverrides overrides;
            try {
                overrides = spec == null ? TopicOverrides.empty() : TopicOverrides.parse(name, spec.overrides());
            } catch (ConfigException ex) {
                throw new IllegalStateException("internal topic " + name + " declares invalid overrides: " + ex.getMessage(), ex);
            }
            TopicMetadata t = new TopicMetadata(name, UUID.randomUUID(), count, overrides, TopicState.LIVE, false);
            // Register before filling gaps so that a crash now leaves a registered topic, not more strays.
            persist(t.withState(TopicState.CREATING));
            TopicConfig config = TopicConfig.resolve(overrides, broker);
            for (int p = 0; p < count; p++) {
                if (!d.getValue().contains(p)) {
                    createPartition(t, config, p);
                }
            }
            persist(t);
            publish(t);
            adopted.add(name);
            LOG.warn("{} topic={} from its partition directories: partitions={} (highest index + 1) topicId={} overrides={}",
                    rebuilt ? "rebuilt" : "adopted unregistered", name, count, t.topicId(), overrides);
        }
        if (!initialized) {
            store.put(Keyspace.META, INITIALIZED_KEY, new byte[] {1}, Durability.SYNC);
        }
        reconciled = true;
        ReconcileReport report = new ReconcileReport(rebuilt, rolledForward, deletesFinished, adopted, extended, recreated);
        LOG.info("topic registry reconciled topics={} clean={}", byName.size(), report.clean());
        return report;
    }

    /**
     * Creates an internal topic if it does not exist; an existing one is left as it is (its
     * partition count in particular, which group coordination depends on).
     */
    public synchronized TopicResult ensureInternal(InternalTopic topic) {
        Entry e = byName.get(topic.name());
        if (e != null && e.meta.isLive()) {
            return TopicResult.ok(e.meta);
        }
        return doCreate(topic.name(), topic.partitions(), topic.overrides(), false);
    }

    // ---- administration ---------------------------------------------------------------------

    /**
     * Creates a user topic.
     *
     * @param partitions   partition count, or -1 for {@code num.partitions}
     * @param configs      topic config overrides (raw text, validated here)
     * @param validateOnly check everything but change nothing (CreateTopics' validateOnly)
     */
    public synchronized TopicResult create(String name, int partitions, Map<String, String> configs, boolean validateOnly) {
        if (name != null && TopicNames.isInternal(name)) {
            return TopicResult.failed(TopicError.RESERVED_TOPIC_NAME, "topic " + name + ": names starting with "
                    + TopicNames.INTERNAL_PREFIX + " are reserved for the broker's internal topics");
        }
        return doCreate(name, partitions, configs, validateOnly);
    }

    public TopicResult create(String name, int partitions, Map<String, String> configs) {
        return create(name, partitions, configs, false);
    }

    private TopicResult doCreate(String name, int partitionCount, Map<String, String> configs, boolean validateOnly) {
        requireReconciled();
        String nameProblem = TopicNames.validate(name);
        if (nameProblem != null) {
            return TopicResult.failed(TopicError.INVALID_TOPIC_NAME, nameProblem);
        }
        int count = partitionCount == -1 ? broker.numPartitions() : partitionCount;
        TopicResult countProblem = checkPartitionCount(name, count);
        if (countProblem != null) {
            return countProblem;
        }
        Entry existing = byName.get(name);
        if (existing != null) {
            return existing.meta.state() == TopicState.DELETING
                    ? TopicResult.failed(TopicError.TOPIC_BEING_DELETED, "topic " + name + " is being deleted; retry once it is gone")
                    : TopicResult.failed(TopicError.TOPIC_ALREADY_EXISTS, "topic " + name + " already exists");
        }
        TopicOverrides overrides;
        try {
            overrides = TopicOverrides.parse(name, configs);
        } catch (ConfigException e) {
            return TopicResult.failed(TopicError.INVALID_CONFIG, e.getMessage());
        }
        TopicMetadata creating = new TopicMetadata(name, UUID.randomUUID(), count, overrides, TopicState.CREATING, false);
        if (validateOnly) {
            return TopicResult.ok(creating.withState(TopicState.LIVE));
        }
        TopicConfig config = TopicConfig.resolve(overrides, broker);
        persist(creating);
        int created = 0;
        try {
            for (; created < count; created++) {
                partitions.createPartition(creating, config, created);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("creating topic={} failed at partition={}: {}; rolling back", name, created, e.toString());
            return rollBackCreate(creating, created, e);
        }
        TopicMetadata live = creating.withState(TopicState.LIVE);
        persist(live);
        publish(live);
        LOG.info("created topic={} topicId={} partitions={} overrides={}", name, live.topicId(), count, overrides);
        return TopicResult.ok(live);
    }

    private TopicResult rollBackCreate(TopicMetadata creating, int created, Exception cause) {
        String message = "topic " + creating.name() + ": creating partition " + created + " failed: " + cause.getMessage();
        try {
            persist(creating.withState(TopicState.DELETING));
            for (int p = 0; p <= created && p < creating.partitionCount(); p++) {
                partitions.deletePartition(creating.name(), p);
            }
            remove(creating);
        } catch (IOException | RuntimeException e) {
            // Left DELETING (or CREATING): reconcile finishes the job at the next start.
            LOG.error("rolling back topic={} failed: {}; it is completed at the next start", creating.name(), e.toString());
            publish(creating.withState(TopicState.DELETING));
        }
        return TopicResult.failed(TopicError.STORAGE_ERROR, message);
    }

    /**
     * Deletes a user topic and its data. Internal topics cannot be deleted.
     */
    public synchronized TopicResult delete(String name) {
        requireReconciled();
        if (name != null && TopicNames.isInternal(name)) {
            return TopicResult.failed(TopicError.RESERVED_TOPIC_NAME, "topic " + name + " is internal and cannot be deleted");
        }
        Entry e = name == null ? null : byName.get(name);
        if (e == null || e.meta.state() == TopicState.DELETING) {
            return TopicResult.failed(TopicError.UNKNOWN_TOPIC, "topic " + name + " does not exist");
        }
        TopicMetadata deleting = e.meta.withState(TopicState.DELETING);
        persist(deleting);
        publish(deleting);
        try {
            for (int p = 0; p < deleting.partitionCount(); p++) {
                partitions.deletePartition(name, p);
            }
        } catch (IOException | RuntimeException ex) {
            LOG.error("deleting partitions of topic={} failed: {}; the topic stays marked for deletion and is removed at "
                    + "the next start", name, ex.toString());
            return TopicResult.failed(TopicError.STORAGE_ERROR, "topic " + name + " is deleted for clients, but removing its "
                    + "partition directories failed (" + ex.getMessage() + "); it is finished at the next start");
        }
        remove(deleting);
        LOG.info("deleted topic={} topicId={} partitions={}", name, deleting.topicId(), deleting.partitionCount());
        return TopicResult.ok(e.meta);
    }

    /**
     * Raises a topic's partition count (CreatePartitions). Existing partitions are untouched, so
     * keys hashed to a partition may map elsewhere afterwards. Internal topics cannot change.
     */
    public synchronized TopicResult addPartitions(String name, int newCount, boolean validateOnly) {
        requireReconciled();
        Entry e = name == null ? null : byName.get(name);
        if (e == null || !e.meta.isLive()) {
            return TopicResult.failed(TopicError.UNKNOWN_TOPIC, "topic " + name + " does not exist");
        }
        if (e.meta.isInternal()) {
            return TopicResult.failed(TopicError.RESERVED_TOPIC_NAME, "topic " + name
                    + " is internal; its partition count cannot change (group coordinators are placed by it)");
        }
        int current = e.meta.partitionCount();
        if (newCount <= current) {
            return TopicResult.failed(TopicError.INVALID_PARTITIONS, "topic " + name + " has " + current
                    + " partitions; the new count " + newCount + " must be larger");
        }
        TopicResult countProblem = checkPartitionCount(name, newCount);
        if (countProblem != null) {
            return countProblem;
        }
        TopicMetadata target = e.meta.withPartitions(newCount, false);
        if (validateOnly) {
            return TopicResult.ok(target);
        }
        TopicMetadata pending = e.meta.withPartitions(newCount, true);
        persist(pending);
        int p = current;
        try {
            for (; p < newCount; p++) {
                partitions.createPartition(pending, e.config, p);
            }
        } catch (IOException | RuntimeException ex) {
            LOG.error("adding partition={} to topic={} failed: {}; rolling back to {} partitions", p, name, ex.toString(), current);
            try {
                for (int q = current; q <= p && q < newCount; q++) {
                    partitions.deletePartition(name, q);
                }
                persist(e.meta);
            } catch (IOException | RuntimeException ex2) {
                LOG.error("rolling back partitions of topic={} failed: {}; completed at the next start", name, ex2.toString());
            }
            return TopicResult.failed(TopicError.STORAGE_ERROR, "topic " + name + ": creating partition " + p + " failed: "
                    + ex.getMessage());
        }
        persist(target);
        publish(target);
        LOG.info("added partitions topic={} partitions={}->{}", name, current, newCount);
        return TopicResult.ok(target);
    }

    /**
     * Replaces a topic's config overrides (AlterConfigs semantics: keys not given return to the
     * broker default). Incremental changes are computed by the caller from {@link TopicMetadata#overrides()}.
     */
    public synchronized TopicResult alterConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        requireReconciled();
        Entry e = name == null ? null : byName.get(name);
        if (e == null || !e.meta.isLive()) {
            return TopicResult.failed(TopicError.UNKNOWN_TOPIC, "topic " + name + " does not exist");
        }
        TopicOverrides overrides;
        try {
            overrides = TopicOverrides.parse(name, configs);
        } catch (ConfigException ex) {
            return TopicResult.failed(TopicError.INVALID_CONFIG, ex.getMessage());
        }
        TopicMetadata changed = e.meta.withOverrides(overrides);
        if (validateOnly || overrides.equals(e.meta.overrides())) {
            return TopicResult.ok(changed);
        }
        persist(changed);
        Entry published = publish(changed);
        LOG.info("altered configs topic={} overrides={}", name, overrides);
        partitions.configChanged(changed, published.config);
        return TopicResult.ok(changed);
    }

    private TopicResult checkPartitionCount(String name, int count) {
        int max = broker.maxPartitionsPerTopic();
        if (count < 1 || count > max) {
            return TopicResult.failed(TopicError.INVALID_PARTITIONS, "topic " + name + ": partitions=" + count
                    + " must be in [1, " + max + "] (max.partitions.per.topic)");
        }
        return null;
    }

    // ---- lookups (any thread) ---------------------------------------------------------------

    /** A registered topic in any state. */
    public Optional<TopicMetadata> topic(String name) {
        Entry e = byName.get(name);
        return e == null ? Optional.empty() : Optional.of(e.meta);
    }

    /** A topic that exists for clients, or empty. */
    public Optional<TopicMetadata> liveTopic(String name) {
        Entry e = byName.get(name);
        return e == null || !e.meta.isLive() ? Optional.empty() : Optional.of(e.meta);
    }

    /** A LIVE topic by id. */
    public Optional<TopicMetadata> liveTopic(UUID topicId) {
        Entry e = byId.get(topicId);
        return e == null || !e.meta.isLive() ? Optional.empty() : Optional.of(e.meta);
    }

    /** The effective config of a registered topic (overrides resolved against the broker defaults). */
    public Optional<TopicConfig> config(String name) {
        Entry e = byName.get(name);
        return e == null ? Optional.empty() : Optional.of(e.config);
    }

    /** LIVE topics sorted by name. */
    public List<TopicMetadata> liveTopics() {
        List<TopicMetadata> out = new ArrayList<>();
        for (Entry e : byName.values()) {
            if (e.meta.isLive()) {
                out.add(e.meta);
            }
        }
        out.sort(Comparator.comparing(TopicMetadata::name));
        return out;
    }

    /** Registered topics in every state (for tests and tools). */
    public Collection<TopicMetadata> allTopics() {
        List<TopicMetadata> out = new ArrayList<>();
        for (Entry e : byName.values()) {
            out.add(e.meta);
        }
        out.sort(Comparator.comparing(TopicMetadata::name));
        return out;
    }

    /** Sum of partition counts of LIVE topics (the {@code cairn_partitions} gauge). */
    public int livePartitionCount() {
        int n = 0;
        for (Entry e : byName.values()) {
            if (e.meta.isLive()) {
                n += e.meta.partitionCount();
            }
        }
        return n;
    }

    // ---- internals --------------------------------------------------------------------------

    private void requireReconciled() {
        if (!reconciled) {
            throw new IllegalStateException("topic registry used before reconcile() at start-up");
        }
    }

    private void createPartition(TopicMetadata t, TopicConfig config, int p) throws IOException {
        try {
            partitions.createPartition(t, config, p);
        } catch (IOException e) {
            throw new IOException("creating partition directory " + new TopicPartition(t.name(), p).dirName()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private void deletePartition(String topic, int p) throws IOException {
        try {
            partitions.deletePartition(topic, p);
        } catch (IOException e) {
            throw new IOException("deleting partition directory " + new TopicPartition(topic, p).dirName()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes a topic's entry and overrides atomically and durably. */
    private void persist(TopicMetadata t) {
        MetadataBatch batch = new MetadataBatch().put(Keyspace.TOPICS, TopicRecordCodec.topicKey(t.name()), TopicRecordCodec.encodeTopic(t));
        if (t.overrides().isEmpty()) {
            batch.delete(Keyspace.CONFIGS, TopicRecordCodec.configKey(t.name()));
        } else {
            batch.put(Keyspace.CONFIGS, TopicRecordCodec.configKey(t.name()), TopicRecordCodec.encodeConfigs(t.overrides().asMap()));
        }
        store.write(batch, Durability.SYNC);
    }

    private void remove(TopicMetadata t) {
        store.write(new MetadataBatch()
                .delete(Keyspace.TOPICS, TopicRecordCodec.topicKey(t.name()))
                .delete(Keyspace.CONFIGS, TopicRecordCodec.configKey(t.name())), Durability.SYNC);
        Entry old = byName.remove(t.name());
        if (old != null) {
            byId.remove(old.meta.topicId(), old);
        }
    }

    private Entry publish(TopicMetadata t) {
        Entry e = new Entry(t, TopicConfig.resolve(t.overrides(), broker));
        Entry old = byName.put(t.name(), e);
        if (old != null && !old.meta.topicId().equals(t.topicId())) {
            byId.remove(old.meta.topicId(), old);
        }
        byId.put(t.topicId(), e);
        return e;
    }
}
