package io.cairn.client.producer;

import io.cairn.client.config.ClientConfig;
import io.cairn.client.config.ConfigDef;
import io.cairn.client.config.ConfigType;
import io.cairn.client.config.ConfigValidator;
import io.cairn.client.errors.ConfigException;
import java.util.Locale;
import java.util.Map;

/** Validated settings of a {@link CairnProducer}. Immutable. */
public final class ProducerConfig extends ClientConfig {
    /** Acknowledgement level: 0, 1 or all. */
    public static final String ACKS = "acks";
    /** Target size of one batch per partition in bytes. */
    public static final String BATCH_SIZE = "batch.size";
    /** How long a batch may wait for more records before it is sent. */
    public static final String LINGER_MS = "linger.ms";
    /** Total bytes of records waiting to be sent. */
    public static final String BUFFER_MEMORY = "buffer.memory";
    /** How long send() may block for metadata or buffer space. */
    public static final String MAX_BLOCK_MS = "max.block.ms";
    /** Compression codec of the batches. */
    public static final String COMPRESSION_TYPE = "compression.type";
    /** Largest produce request, and so the largest record. */
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    /** Unacknowledged requests per broker connection. */
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    /** Upper bound on retries of one batch. */
    public static final String RETRIES = "retries";
    /** Time from send() to success or failure, retries included. */
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    /** Whether retries are made safe by producer id and sequence numbers. */
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";

    /** Every key a producer accepts. */
    public static final ConfigDef DEF = commonDef("producer")
            .define(ACKS, ConfigType.STRING, "all", ConfigValidator.oneOf("all", "-1", "0", "1"),
                    "0: do not wait; 1: wait for the append; all: wait until the batch is fsynced")
            .define(BATCH_SIZE, ConfigType.INT, 16_384, ConfigValidator.between(0, 64 << 20),
                    "bytes a partition's open batch may grow to before it is sent (0 turns batching off)")
            .define(LINGER_MS, ConfigType.LONG, 5L, ConfigValidator.atLeast(0),
                    "time a batch that is not full waits for more records")
            .define(BUFFER_MEMORY, ConfigType.LONG, 33_554_432L, ConfigValidator.atLeast(1024),
                    "bytes of unsent and unacknowledged batches; send() blocks when they are used up")
            .define(MAX_BLOCK_MS, ConfigType.LONG, 60_000L, ConfigValidator.atLeast(0),
                    "time send() may block waiting for metadata or buffer space before it fails")
            .define(COMPRESSION_TYPE, ConfigType.STRING, "none",
                    ConfigValidator.oneOf("none", "gzip", "snappy", "lz4", "zstd"),
                    "codec applied to each batch")
            .define(MAX_REQUEST_SIZE, ConfigType.INT, 1_048_576, ConfigValidator.atLeast(1024),
                    "largest produce request in bytes; a record that cannot fit fails with RecordTooLargeException")
            .define(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ConfigType.INT, 5, ConfigValidator.atLeast(1),
                    "produce requests sent to one broker without waiting for their responses (<= 5 with idempotence)")
            .define(RETRIES, ConfigType.INT, Integer.MAX_VALUE, ConfigValidator.atLeast(0),
                    "attempts after the first for a batch that failed retriably; delivery.timeout.ms bounds them too")
            .define(DELIVERY_TIMEOUT_MS, ConfigType.LONG, 120_000L, ConfigValidator.atLeast(1),
                    "time from send() until the record is acknowledged or fails, retries included")
            .define(ENABLE_IDEMPOTENCE, ConfigType.BOOLEAN, true,
                    "use a producer id and sequence numbers so retries never duplicate or reorder records");

    private final short acks;
    private final boolean idempotent;

    /** Parses and cross-checks {@code given}. */
    public ProducerConfig(Map<String, ?> given) {
        super(DEF, given);
        String acksText = stringValue(ACKS).toLowerCase(Locale.ROOT);
        this.acks = acksText.equals("all") ? -1 : Short.parseShort(acksText);
        boolean idempotenceGiven = given.get(ENABLE_IDEMPOTENCE) != null;
        boolean idempotence = booleanValue(ENABLE_IDEMPOTENCE);
        if (idempotence && acks != -1) {
            if (idempotenceGiven) {
                throw new ConfigException(ENABLE_IDEMPOTENCE + "=true requires " + ACKS + "=all, got " + ACKS + "="
                        + stringValue(ACKS));
            }
            idempotence = false; // like Kafka: weaker acks switch the default idempotence off
        }
        if (idempotence && intValue(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) > 5) {
            throw new ConfigException(ENABLE_IDEMPOTENCE + "=true requires " + MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
                    + " <= 5 (the broker remembers the last 5 batches per producer), got "
                    + intValue(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION));
        }
        if (idempotence && intValue(RETRIES) == 0 && given.get(RETRIES) != null && idempotenceGiven) {
            throw new ConfigException(ENABLE_IDEMPOTENCE + "=true requires " + RETRIES + " > 0");
        }
        if (deliveryTimeoutMs() < lingerMs() + requestTimeoutMs()) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS + " (" + deliveryTimeoutMs() + ") must be >= "
                    + LINGER_MS + " + " + REQUEST_TIMEOUT_MS + " (" + (lingerMs() + requestTimeoutMs()) + ")");
        }
        this.idempotent = idempotence;
    }

    /** {@value #ACKS} as the wire carries it: -1 (all), 0 or 1. */
    public short acks() {
        return acks;
    }

    /** {@value #BATCH_SIZE}. */
    public int batchSize() {
        return intValue(BATCH_SIZE);
    }

    /** {@value #LINGER_MS}. */
    public long lingerMs() {
        return longValue(LINGER_MS);
    }

    /** {@value #BUFFER_MEMORY}. */
    public long bufferMemory() {
        return longValue(BUFFER_MEMORY);
    }

    /** {@value #MAX_BLOCK_MS}. */
    public long maxBlockMs() {
        return longValue(MAX_BLOCK_MS);
    }

    /** {@value #COMPRESSION_TYPE}, lower case. */
    public String compressionType() {
        return stringValue(COMPRESSION_TYPE).toLowerCase(Locale.ROOT);
    }

    /** {@value #MAX_REQUEST_SIZE}. */
    public int maxRequestSize() {
        return intValue(MAX_REQUEST_SIZE);
    }

    /** {@value #MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION}. */
    public int maxInFlightRequestsPerConnection() {
        return intValue(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    }

    /** {@value #RETRIES}. */
    public int retries() {
        return intValue(RETRIES);
    }

    /** {@value #DELIVERY_TIMEOUT_MS}. */
    public long deliveryTimeoutMs() {
        return longValue(DELIVERY_TIMEOUT_MS);
    }

    /** Whether idempotence is in effect (it is switched off implicitly when acks is not all). */
    public boolean idempotent() {
        return idempotent;
    }
}
