package io.cairn.reliability;

import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One idempotent producer (acks=all, unbounded retries) sending keyed records with unique ids
 * ({@link AckLedger#id}) as fast as the broker acknowledges them, at most {@code maxInFlight}
 * unacknowledged at a time, on its own thread until {@link #stop()}. Every outcome goes to the
 * ledger. It keeps running while the broker is killed and restarted: the client reconnects and
 * retries, which is what the crash suites test.
 */
final class LoadProducer implements AutoCloseable {
    private final int index;
    private final String topic;
    private final AckLedger ledger;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final Random random;
    private final CairnProducer<String, String> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable crashed;
    private long nextSequence;

    LoadProducer(int index, String bootstrap, String topic, AckLedger ledger, int maxInFlight, long seed) {
        this.index = index;
        this.topic = topic;
        this.ledger = ledger;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.random = new Random(seed);
        this.producer = CairnProducer.builder()
            .bootstrapServers(bootstrap)
            .clientId("crash-producer-" + index)
            .keySerializer(Serdes.stringSerializer())
            .valueSerializer(Serdes.stringSerializer())
            .acks("all")
            .enableIdempotence(true)
            .retries(Integer.MAX_VALUE)
            .deliveryTimeoutMs(300_000)
            .maxBlockMs(300_000)
            .requestTimeoutMs(10_000)
            .lingerMs(2)
            .retryBackoffMs(20)
            .config("retry.backoff.max.ms", 200)
            .reconnectBackoffMs(20)
            .reconnectBackoffMaxMs(200)
            .build();
        this.thread = new Thread(this::run, "load-producer-" + index);
        thread.setDaemon(true);
    }

    LoadProducer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long sequence = nextSequence++;
                String key = "key-" + random.nextInt(64);
                ledger.sent();
                producer.send(new ProducerRecord<>(topic, key, AckLedger.id(index, sequence)))
                    .whenComplete((metadata, error) -> {
                        if (error == null) {
                            ledger.acked(index, sequence, metadata);
                        } else {
                            ledger.failed(index, sequence, error);
                        }
                        inFlight.release();
                    });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            crashed = e;
        }
    }

    /** Stops sending and waits (up to {@code timeout}) until every record sent has its outcome. */
    void stop(Duration timeout) throws InterruptedException {
        running = false;
        thread.join(timeout.toMillis());
        producer.flush();
        if (!inFlight.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("producer " + index + ": records still unacknowledged after " + timeout);
        }
        inFlight.release(maxInFlight);
        if (crashed != null) {
            throw new AssertionError("producer " + index + " thread failed", crashed);
        }
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(5));
    }
}
