package io.cairn.reliability;

import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.CairnException;
import io.cairn.client.serialization.Serdes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of a consumer group on its own thread: polls, and commits what it polled with
 * {@code commitSync} after every non-empty poll (and after later polls until a commit succeeds). Errors while the broker is down (timeouts, lost
 * connections, fenced commits after the coordinator restarted) are counted and the loop goes on,
 * as an application would.
 */
final class GroupReader implements AutoCloseable {
    private final CairnConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final String topic;
    private volatile boolean running = true;
    private volatile Throwable crashed;

    GroupReader(int index, String bootstrap, String group, String topic) {
        this.topic = topic;
        this.consumer = CairnConsumer.builder()
            .bootstrapServers(bootstrap)
            .clientId("crash-reader-" + index)
            .keyDeserializer(Serdes.stringDeserializer())
            .valueDeserializer(Serdes.stringDeserializer())
            .autoOffsetReset(OffsetResetStrategy.EARLIEST)
            .config("group.id", group)
            .config("enable.auto.commit", false)
            .requestTimeoutMs(10_000)
            .defaultApiTimeoutMs(10_000)
            .reconnectBackoffMs(20)
            .reconnectBackoffMaxMs(200)
            .retryBackoffMs(20)
            .build();
        this.thread = new Thread(this::run, "group-reader-" + index);
        thread.setDaemon(true);
    }

    GroupReader start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            // true while records were polled that no successful commit covers yet: a commit that failed
            // (broker down, member fenced) is retried after the next poll even if that poll is empty
            boolean uncommitted = false;
            while (running) {
                try {
                    ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                    records.addAndGet(polled.count());
                    uncommitted |= !polled.isEmpty();
                    if (uncommitted) {
                        consumer.commitSync(Duration.ofSeconds(10));
                        uncommitted = false;
                    }
                } catch (CairnException e) {
                    errors.incrementAndGet();
                }
            }
        } catch (RuntimeException | Error e) {
            crashed = e;
        }
    }

    /** False once the loop ended by itself (an unexpected exception, see {@link #close()}). */
    boolean alive() {
        return thread.isAlive() || !running;
    }

    long records() {
        return records.get();
    }

    long errors() {
        return errors.get();
    }

    /** Stops the loop; the consumer leaves the group on close. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        if (crashed != null) {
            throw new AssertionError("group reader failed", crashed);
        }
    }
}
