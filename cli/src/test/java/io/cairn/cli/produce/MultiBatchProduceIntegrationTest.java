package io.cairn.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.producer.RecordMetadata;
import io.cairn.client.serialization.Serdes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idempotent producer against a real broker: a partition's full batches travel together in one
 * produce request, the broker appends them once however often they are retried after lost answers,
 * and the records come back in send order with the offsets their futures reported.
 *
 * <p>The producer reaches the broker through a relay that can cut the connection when the broker's
 * next answer comes back (the request was appended, the answer is lost): the broker binds
 * 127.0.0.1 and advertises 127.0.0.2, where the relay listens on the same port.
 */
class MultiBatchProduceIntegrationTest {
    private static final String TOPIC = "multi";

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private Relay relay;

    @BeforeEach
    void start() throws IOException {
        broker = EmbeddedBroker.builder(dir).set("advertised.host", "127.0.0.2").start();
        broker.createTopic(TOPIC, 1);
        relay = new Relay(InetAddress.getByName("127.0.0.2"), broker.port(), broker.address().getPort());
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void severalBatchesPerRequestAreAppendedOnceInOrderAcrossLostAnswers() throws Exception {
        String value = "x".repeat(200);
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        double mostBatchesPerRequest;
        double retries;
        try (CairnProducer<String, String> producer = CairnProducer.builder()
                .bootstrapServers("127.0.0.2:" + broker.port())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .acks("all").batchSize(2048).lingerMs(20).maxInFlightRequestsPerConnection(5)
                .retryBackoffMs(5).reconnectBackoffMs(5).reconnectBackoffMaxMs(50).build()) {
            for (int round = 0; round < 6; round++) {
                // Lose the answers of rounds 1, 3 and 5: what was appended is retried and must come back as
                // duplicates. The sends race ahead of the broker, so requests carry several full batches.
                if (round % 2 == 1) {
                    relay.loseNextAnswer();
                }
                for (int i = 0; i < 400; i++) {
                    String v = round + "-" + i + "-" + value;
                    sent.add(v);
                    futures.add(producer.send(new ProducerRecord<>(TOPIC, "k", v)));
                }
                producer.flush();
            }
            mostBatchesPerRequest = producer.metrics().get("cairn.client.producer.batches.per.request").summary().max();
            retries = producer.metrics().get("cairn.client.producer.retries").counter().count();
        }
        assertThat(relay.lostAnswers()).as("answers lost with their connection").isEqualTo(3);
        assertThat(retries).as("batches retried after the lost answers").isPositive();
        assertThat(mostBatchesPerRequest).as("a request carried several batches of the one partition")
                .isGreaterThan(1);

        List<Long> reported = new ArrayList<>();
        for (CompletableFuture<RecordMetadata> f : futures) {
            reported.add(f.get(30, TimeUnit.SECONDS).offset());
        }
        List<String> stored = new ArrayList<>();
        List<Long> storedOffsets = new ArrayList<>();
        try (CairnConsumer<String, String> consumer = CairnConsumer.builder().bootstrapServers(broker.bootstrap())
                .keyDeserializer(Serdes.stringDeserializer()).valueDeserializer(Serdes.stringDeserializer())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST).fetchMaxWaitMs(50).build()) {
            consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
            await("every record read back").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    stored.add(r.value());
                    storedOffsets.add(r.offset());
                }
                return stored.size() >= sent.size();
            });
            assertThat(consumer.poll(Duration.ofMillis(300))).as("no record stored twice").isEmpty();
        }
        assertThat(stored).as("each record stored once, in send order").isEqualTo(sent);
        assertThat(reported).as("the offsets the futures reported are where the records are").isEqualTo(storedOffsets);
    }

    /**
     * Relays TCP connections from {@code listenAddress:listenPort} to the broker; after
     * {@link #loseNextAnswer} the next bytes the broker sends back are dropped and both sides of that
     * connection are closed.
     */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final int brokerPort;
        private final AtomicBoolean loseNext = new AtomicBoolean();
        private final AtomicInteger lost = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Relay(InetAddress listenAddress, int listenPort, int brokerPort) throws IOException {
            this.server = new ServerSocket(listenPort, 50, listenAddress);
            this.brokerPort = brokerPort;
            this.acceptor = new Thread(this::acceptLoop, "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        void loseNextAnswer() {
            loseNext.set(true);
        }

        int lostAnswers() {
            return lost.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void pump(Socket from, Socket to, boolean answers) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (answers && loseNext.compareAndSet(true, false)) {
                            lost.incrementAndGet();
                            from.close();
                            to.close();
                            return;
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // one side closed: close the other too
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
            sockets.forEach(Relay::closeQuietly);
        }
    }
}
