package io.cairn.reliability.soak;

import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.producer.RecordMetadata;
import io.cairn.client.serialization.Serdes;
import io.cairn.protocol.record.CompressionType;
import java.time.Duration;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One soak producer: a Cairn client producer with its own acks/idempotence/compression, paced to a
 * fixed rate, writing six records in ten to the size-retained topic, two to the age-retained topic
 * and two to the compacted topic (a random key of the key space, one write in ten a tombstone).
 * Every acknowledgement goes to the ledger (retained topics) or the oracle (compacted topic).
 *
 * <p>Runs on its own thread ({@link #run}); {@link #stop} may be called from any thread.
 */
final class SoakProducer implements Runnable {
    static final int TOPICS = 3;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final int index;
    private final Kind kind;
    private final SoakSettings settings;
    private final DeliveryLedger ledger;
    private final CompactionOracle oracle;
    private final Queue<Throwable> errors;
    private final CairnProducer<String, byte[]> producer;
    private final long[] nextSequence = new long[TOPICS];
    private final AtomicLong outstanding = new AtomicLong();
    private final SplittableRandom random;
    private volatile boolean stopping;

    /** The producer settings a soak producer runs with. */
    enum Kind {
        ACKS_ALL_IDEMPOTENT("all", true, CompressionType.NONE),
        ACKS_ALL_IDEMPOTENT_LZ4("all", true, CompressionType.LZ4),
        ACKS_1_ZSTD("1", false, CompressionType.ZSTD),
        ACKS_1("1", false, CompressionType.NONE);

        final String acks;
        final boolean idempotent;
        final CompressionType compression;

        Kind(String acks, boolean idempotent, CompressionType compression) {
            this.acks = acks;
            this.idempotent = idempotent;
            this.compression = compression;
        }
    }

    SoakProducer(int index, Kind kind, String bootstrap, SoakSettings settings, DeliveryLedger ledger,
                 CompactionOracle oracle, Queue<Throwable> errors) {
        this.index = index;
        this.kind = kind;
        this.settings = settings;
        this.ledger = ledger;
        this.oracle = oracle;
        this.errors = errors;
        this.random = new SplittableRandom(index * 7919L + 17);
        this.producer = CairnProducer.builder()
                .bootstrapServers(bootstrap)
                .clientId("soak-producer-" + index)
                .keySerializer(Serdes.stringSerializer())
                .valueSerializer(Serdes.bytesSerializer())
                .acks(kind.acks)
                .enableIdempotence(kind.idempotent)
                .compressionType(kind.compression)
                .lingerMs(10)
                .batchSize(settings.producerBatchBytes())
                // A small buffer makes send() push back when the broker falls behind, instead of
                // queueing tens of MiB in this JVM (which would show as heap growth).
                .bufferMemory(4L * 1024 * 1024)
                .build();
    }

    static int stream(int producerIndex, int topicIndex) {
        return producerIndex * TOPICS + topicIndex;
    }

    @Override
    public void run() {
        try {
            // Records due per tick, fractional: the remainder carries over so the rate is exact.
            double perTick = settings.recordsPerSecond() / (double) SoakRun.PRODUCERS * TICK_NANOS / 1e9;
            double due = 0;
            long next = System.nanoTime();
            long count = 0;
            while (!stopping) {
                due += perTick;
                int now = (int) due;
                due -= now;
                for (int i = 0; i < now; i++) {
                    int slot = (int) (count++ % 10);
                    if (slot < 6) {
                        sendRetained(0, SoakSettings.BYTES_TOPIC);
                    } else if (slot < 8) {
                        sendRetained(1, SoakSettings.TIME_TOPIC);
                    } else {
                        sendCompacted();
                    }
                }
                next += TICK_NANOS;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    // Pacing the load to its target rate, not waiting for an event.
                    LockSupport.parkNanos(wait);
                }
            }
            producer.flush();
        } catch (RuntimeException e) {
            errors.add(new IllegalStateException("soak producer " + index + " (" + kind + ") failed", e));
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }

    private void sendRetained(int topicIndex, String topic) {
        int stream = stream(index, topicIndex);
        long sequence = nextSequence[topicIndex]++;
        byte[] value = RecordId.encode(stream, sequence, settings.valueBytes());
        track(producer.send(new ProducerRecord<>(topic, null, value)), md -> ledger.acked(stream, sequence));
    }

    private void sendCompacted() {
        int stream = stream(index, 2);
        long sequence = nextSequence[2]++;
        int keyNumber = random.nextInt(settings.keySpace());
        boolean tombstone = random.nextInt(10) == 0;
        byte[] value = tombstone ? null : RecordId.encode(stream, sequence, settings.valueBytes());
        track(producer.send(new ProducerRecord<>(SoakSettings.COMPACTED_TOPIC, CompactionOracle.key(keyNumber), value)),
                md -> oracle.acked(keyNumber, md.offset(), stream, sequence, tombstone));
    }

    private void track(CompletableFuture<RecordMetadata> ack, java.util.function.Consumer<RecordMetadata> onAck) {
        outstanding.incrementAndGet();
        ack.whenComplete((md, failure) -> {
            outstanding.decrementAndGet();
            if (failure != null) {
                ledger.failed();
                if (errors.size() < 20) {
                    errors.add(new IllegalStateException("soak producer " + index + " (" + kind + "): send failed", failure));
                }
            } else {
                onAck.accept(md);
            }
        });
    }

    void stop() {
        stopping = true;
    }

    /** Sends not yet completed (acknowledged or failed); 0 once {@link #run} returned. */
    long outstanding() {
        return outstanding.get();
    }

    Kind kind() {
        return kind;
    }
}
