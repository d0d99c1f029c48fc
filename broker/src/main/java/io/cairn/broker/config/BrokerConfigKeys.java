package io.cairn.broker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's configuration keys. The broker-level default of every topic key (Kafka's
 * {@code log.segment.bytes} for {@code segment.bytes}) is derived from {@link TopicConfigKeys}
 * rather than declared twice, so both always share type, default and range.
 */
public final class BrokerConfigKeys {

    private BrokerConfigKeys() {
    }

    // ---- listener and network ---------------------------------------------------------------

    public static final ConfigKey<String> HOST = ConfigKey.hostKey("host", false)
            .defaultValue("0.0.0.0")
            .importance(Importance.HIGH)
            .doc("Address the client listener and the metrics endpoint bind to. The default listens on every "
                    + "interface, as Kafka does; use 127.0.0.1 to accept local clients only.")
            .build();

    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.hostKey("advertised.host", true)
            .defaultValue("")
            .importance(Importance.HIGH)
            .doc("Host name clients are told to connect to in Metadata responses. Empty means `host`, or "
                    + "127.0.0.1 when `host` is a wildcard address (0.0.0.0 or ::); set it when clients reach the "
                    + "broker under another name, e.g. from outside a container.")
            .build();

    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port")
            .defaultValue(7390)
            .between(0, 65535)
            .importance(Importance.HIGH)
            .doc("TCP port of the client listener; 0 picks a free port. Not Kafka's 9092, so both can run on "
                    + "one machine.")
            .build();

    public static final ConfigKey<Long> MAX_FRAME_BYTES = ConfigKey.sizeKey("max.frame.bytes")
            .defaultValue(100L << 20)
            .between(1024L, (long) Integer.MAX_VALUE)
            .importance(Importance.MEDIUM)
            .doc("Largest request frame accepted, checked against the frame's length field before anything is "
                    + "allocated; a longer frame is refused and the connection closed. Must leave 1 KiB of headroom above "
                    + "`message.max.bytes` for request headers.")
            .build();

    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.intKey("max.connections")
            .defaultValue(10_000)
            .atLeast(1)
            .importance(Importance.MEDIUM)
            .doc("Most client connections open at once; further connections are closed on accept. Each costs a "
                    + "file descriptor.")
            .build();

    public static final ConfigKey<Long> CONNECTIONS_MAX_IDLE_MS = ConfigKey.durationKey("connections.max.idle.ms")
            .defaultValue(600_000L)
            .atLeast(1L)
            .importance(Importance.MEDIUM)
            .doc("A connection with no request in flight and no traffic for this long is closed.")
            .build();

    public static final ConfigKey<Long> FRAME_READ_TIMEOUT_MS = ConfigKey.durationKey("frame.read.timeout.ms")
            .defaultValue(30_000L)
            .atLeast(1L)
            .importance(Importance.LOW)
            .doc("Longest a request frame may take to arrive once its first byte has; a connection still short of "
                    + "the rest after this long is closed. Stops a client that trickles a frame (a slowloris, a byte "
                    + "at a time) from holding a connection forever, which `connections.max.idle.ms` cannot, since "
                    + "every byte counts as traffic. Time the broker itself stops reading (back-pressure) does not "
                    + "count. The default matches the 30 s a Kafka client waits for any request.")
            .build();

    public static final ConfigKey<Integer> NETWORK_THREADS = ConfigKey.intKey("network.threads")
            .defaultValue(2)
            .between(1, 256)
            .importance(Importance.MEDIUM)
            .doc("Netty event-loop threads that read, decode, encode and write frames. They never block; one per "
                    + "core is plenty.")
            .build();

    public static final ConfigKey<Integer> IO_THREADS = ConfigKey.intKey("io.threads")
            .defaultValue(4)
            .between(1, 256)
            .importance(Importance.MEDIUM)
            .doc("Threads that run request work which may block: appends, admin operations, metadata store "
                    + "writes. They wait on the file system, so a few more than the core count is right.")
            .build();

    public static final ConfigKey<Long> MAX_UNSENT_RESPONSE_BYTES = ConfigKey.sizeKey("max.unsent.response.bytes")
            .defaultValue(32L << 20)
            .between(64L << 10, (long) Integer.MAX_VALUE)
            .importance(Importance.LOW)
            .doc("Back-pressure per connection: while more response bytes than this are queued but not yet "
                    + "written, the broker stops reading requests from that connection. One larger response is "
                    + "still sent whole.")
            .build();

    // ---- node and storage -------------------------------------------------------------------

    public static final ConfigKey<Integer> NODE_ID = ConfigKey.intKey("node.id")
            .defaultValue(0)
            .atLeast(0)
            .importance(Importance.HIGH)
            .doc("Identifier of this broker in Metadata responses and, later, in a cluster.")
            .build();

    public static final ConfigKey<String> DATA_DIR = ConfigKey.stringKey("data.dir")
            .defaultValue("./data")
            .constraint(Constraint.nonEmpty())
            .importance(Importance.HIGH)
            .doc("Directory holding the partition logs and the metadata store (`meta/`); created if missing. "
                    + "Relative paths are resolved against the working directory.")
            .build();

    public static final ConfigKey<Integer> NUM_RECOVERY_THREADS = ConfigKey.intKey("num.recovery.threads")
            .defaultValue(2)
            .between(1, 256)
            .importance(Importance.LOW)
            .doc("Threads that open and, after an unclean shutdown, recover partition logs at start-up and close "
                    + "them at shutdown.")
            .build();

    public static final ConfigKey<Long> LOG_FLUSH_SCHEDULER_INTERVAL_MS = ConfigKey.durationKey("log.flush.scheduler.interval.ms")
            .defaultValue(1_000L)
            .atLeast(1L)
            .importance(Importance.LOW)
            .doc("How often the flush scheduler checks whether any partition is due for a flush by `flush.ms`. "
                    + "(Kafka's default of never makes `flush.ms` ineffective; Cairn checks every second.)")
            .build();

    public static final ConfigKey<Long> LOG_RETENTION_CHECK_INTERVAL_MS = ConfigKey.durationKey("log.retention.check.interval.ms")
            .defaultValue(300_000L)
            .atLeast(1L)
            .importance(Importance.LOW)
            .doc("How often partitions are checked for segments to delete by retention.")
            .build();

    public static final ConfigKey<Integer> LOG_CLEANER_THREADS = ConfigKey.intKey("log.cleaner.threads")
            .defaultValue(1)
            .between(0, 64)
            .importance(Importance.LOW)
            .doc("Threads compacting topics with `cleanup.policy` containing `compact`; 0 disables compaction "
                    + "(compacted topics, including `__consumer_offsets`, then grow without bound).")
            .build();

    public static final ConfigKey<Long> LOG_CLEANER_BACKOFF_MS = ConfigKey.durationKey("log.cleaner.backoff.ms")
            .defaultValue(15_000L)
            .atLeast(0L)
            .importance(Importance.LOW)
            .doc("How long a cleaner thread sleeps when no log needs compaction.")
            .build();

    // ---- topics -----------------------------------------------------------------------------

    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = ConfigKey.booleanKey("auto.create.topics.enable")
            .defaultValue(false)
            .importance(Importance.HIGH)
            .doc("Create a topic with `num.partitions` partitions when a client asks for an unknown one in a "
                    + "Metadata or Produce request. Off by default, unlike Kafka: a typo should not create a "
                    + "topic; create topics explicitly (`cairn topics create`).")
            .build();

    public static final ConfigKey<Integer> NUM_PARTITIONS = ConfigKey.intKey("num.partitions")
            .defaultValue(1)
            .atLeast(1)
            .importance(Importance.MEDIUM)
            .doc("Partition count of auto-created topics and of CreateTopics requests that leave it unset (-1).")
            .build();

    public static final ConfigKey<Integer> MAX_PARTITIONS_PER_TOPIC = ConfigKey.intKey("max.partitions.per.topic")
            .defaultValue(10_000)
            .between(1, 1_000_000)
            .importance(Importance.LOW)
            .doc("Most partitions one topic may have. Each partition is a directory with open files and "
                    + "preallocated indexes, so a request for millions is refused rather than attempted.")
            .build();

    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = ConfigKey.intKey("offsets.topic.num.partitions")
            .defaultValue(50)
            .between(1, 10_000)
            .importance(Importance.MEDIUM)
            .doc("Partitions of the internal `__consumer_offsets` topic when the broker first creates it. The "
                    + "coordinator of a group is partition hash(group) % count, so a later change is ignored: "
                    + "the existing topic's partition count rules.")
            .build();

    public static final ConfigKey<Long> OFFSETS_TOPIC_SEGMENT_BYTES = ConfigKey.sizeKey("offsets.topic.segment.bytes")
            .defaultValue(100L << 20)
            .between(1024L, (long) Integer.MAX_VALUE)
            .importance(Importance.LOW)
            .doc("`segment.bytes` of `__consumer_offsets`; kept small so compaction and loading are quick (the cleaner "
                    + "merges cleaned segments back up to this size).")
            .build();

    public static final ConfigKey<Long> OFFSETS_RETENTION_MS = ConfigKey.durationKey("offsets.retention.ms")
            .defaultValue(7 * 86_400_000L)
            .atLeast(1L)
            .importance(Importance.MEDIUM)
            .doc("Committed offsets of a group that has had no members for this long are removed.")
            .build();

    // ---- groups and producers ---------------------------------------------------------------

    public static final ConfigKey<Long> GROUP_CONSUMER_SESSION_TIMEOUT_MS = ConfigKey.durationKey("group.consumer.session.timeout.ms")
            .defaultValue(45_000L)
            .atLeast(1L)
            .importance(Importance.MEDIUM)
            .doc("A group member that has not heartbeated for this long is removed and its partitions are "
                    + "reassigned.")
            .build();

    public static final ConfigKey<Long> GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = ConfigKey.durationKey("group.consumer.heartbeat.interval.ms")
            .defaultValue(5_000L)
            .atLeast(1L)
            .importance(Importance.MEDIUM)
            .doc("Heartbeat interval the coordinator asks consumers to keep; must be below "
                    + "`group.consumer.session.timeout.ms`.")
            .build();

    public static final ConfigKey<Long> PRODUCER_ID_EXPIRATION_MS = ConfigKey.durationKey("producer.id.expiration.ms")
            .defaultValue(86_400_000L)
            .atLeast(1L)
            .importance(Importance.LOW)
            .doc("Idempotence state of a producer id that has not written to a partition for this long is "
                    + "dropped; a later batch from it is then treated as from a new producer.")
            .build();

    // ---- operations -------------------------------------------------------------------------

    public static final ConfigKey<Integer> METRICS_PORT = ConfigKey.intKey("metrics.port")
            .defaultValue(7391)
            .between(-1, 65535)
            .importance(Importance.MEDIUM)
            .doc("TCP port of the HTTP endpoint serving `/metrics` (Prometheus text) and `/health`, bound to "
                    + "`host`; 0 picks a free port (logged at start-up), -1 disables the endpoint.")
            .build();

    public static final ConfigKey<Long> SHUTDOWN_TIMEOUT_MS = ConfigKey.durationKey("shutdown.timeout.ms")
            .defaultValue(30_000L)
            .atLeast(0L)
            .importance(Importance.LOW)
            .doc("How long a graceful shutdown waits for requests in flight and final flushes before closing "
                    + "what is left.")
            .build();

    private static final List<ConfigKey<?>> OWN_KEYS = List.of(
            HOST, ADVERTISED_HOST, PORT, MAX_FRAME_BYTES, MAX_CONNECTIONS, CONNECTIONS_MAX_IDLE_MS, FRAME_READ_TIMEOUT_MS,
            NETWORK_THREADS, IO_THREADS, MAX_UNSENT_RESPONSE_BYTES,
            NODE_ID, DATA_DIR, NUM_RECOVERY_THREADS, LOG_FLUSH_SCHEDULER_INTERVAL_MS,
            LOG_RETENTION_CHECK_INTERVAL_MS, LOG_CLEANER_THREADS, LOG_CLEANER_BACKOFF_MS,
            AUTO_CREATE_TOPICS_ENABLE, NUM_PARTITIONS, MAX_PARTITIONS_PER_TOPIC, OFFSETS_TOPIC_NUM_PARTITIONS,
            OFFSETS_TOPIC_SEGMENT_BYTES, OFFSETS_RETENTION_MS,
            GROUP_CONSUMER_SESSION_TIMEOUT_MS, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, PRODUCER_ID_EXPIRATION_MS,
            METRICS_PORT, SHUTDOWN_TIMEOUT_MS);

    /** The broker's own keys (without the topic defaults), in reference order. */
    public static final ConfigDef OWN = ConfigDef.of("broker", OWN_KEYS);

    /** Broker keys holding the defaults of topic keys, in the order of {@link TopicConfigKeys#DEF}. */
    public static final ConfigDef TOPIC_DEFAULTS = deriveTopicDefaults();

    /** Every key a broker configuration may set. */
    public static final ConfigDef DEF = all();

    private static ConfigDef deriveTopicDefaults() {
        List<ConfigKey<?>> derived = new ArrayList<>();
        for (ConfigKey<?> topicKey : TopicConfigKeys.DEF.keys()) {
            derived.add(derive(topicKey));
        }
        return ConfigDef.of("topic defaults", derived);
    }

    private static <T> ConfigKey<T> derive(ConfigKey<T> topicKey) {
        return topicKey.renamed(topicKey.brokerSynonym(), topicKey.importance(),
                "Default of topic config `" + topicKey.name() + "` for topics that do not override it. " + topicKey.doc());
    }

    private static ConfigDef all() {
        List<ConfigKey<?>> keys = new ArrayList<>(OWN_KEYS);
        keys.addAll(TOPIC_DEFAULTS.keys());
        return ConfigDef.of("broker", keys);
    }
}
