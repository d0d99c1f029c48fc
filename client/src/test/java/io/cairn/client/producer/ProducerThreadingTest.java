package io.cairn.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.client.TopicPartition;
import io.cairn.client.errors.BufferExhaustedException;
import io.cairn.client.errors.ClientClosedException;
import io.cairn.client.serialization.Serdes;
import io.cairn.client.testing.FakeBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The producer's threading: the sender runs on the network thread, wake-ups are coalesced, and
 * callbacks (which run on that thread) may call send, flush and close without deadlocking it.
 */
class ProducerThreadingTest {
    private final FakeBroker broker = new FakeBroker(Map.of("t", 3, "single", 1));

    @AfterEach
    void stop() {
        broker.close();
    }

    private CairnProducer.Builder<String, String> producer() {
        return CairnProducer.builder().bootstrapServers(broker.bootstrap())
                .keySerializer(Serdes.stringSerializer()).valueSerializer(Serdes.stringSerializer())
                .retryBackoffMs(5).reconnectBackoffMs(5).reconnectBackoffMaxMs(50);
    }

    private static RecordMetadata connected(CairnProducer<String, String> p) throws Exception {
        return p.send(new ProducerRecord<>("single", "warm-up", "warm-up")).get(60, TimeUnit.SECONDS);
    }

    /** Occupies the producer's network thread (inside a callback) until the returned latch is counted down. */
    private static CountDownLatch blockNetworkThread(CairnProducer<String, String> p, Thread[] networkThread)
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        p.send(new ProducerRecord<>("single", "block", "block"), (md, e) -> {
            networkThread[0] = Thread.currentThread();
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(60, TimeUnit.SECONDS)).as("the callback started").isTrue();
        return release;
    }

    @Test
    void callbacksRunOnTheNetworkThreadAndNoSenderOrCallbackThreadExists() throws Exception {
        try (CairnProducer<String, String> p = producer().clientId("threads").build()) {
            AtomicReference<Thread> callbackThread = new AtomicReference<>();
            p.send(new ProducerRecord<>("single", "k", "v"), (md, e) -> callbackThread.set(Thread.currentThread()))
                    .get(60, TimeUnit.SECONDS);
            assertThat(callbackThread.get().getName()).isEqualTo("cairn-producer-net-threads");
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .noneMatch(n -> n.startsWith("cairn-producer-sender-") || n.startsWith("cairn-producer-callbacks-"));
        }
        await("the network thread stopped with the producer").atMost(Duration.ofSeconds(10)).until(() ->
                Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("cairn-producer-net-threads")
                        && t.isAlive()));
    }

    @Test
    void aBurstOfWakeUpsQueuesOneSenderRun() throws Exception {
        try (CairnProducer<String, String> p = producer().lingerMs(0).build()) {
            connected(p);
            p.partitionsFor("t"); // its metadata is in before the network thread is held
            Thread[] networkThread = new Thread[1];
            CountDownLatch release = blockNetworkThread(p, networkThread);
            // The network thread is busy in the callback: every wake-up below finds the run already queued
            // (or queues the one run), however many threads raise it.
            long runsBefore = p.sender().scheduledRuns();
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(p.send(new ProducerRecord<>("t", i % 3, "k", "v" + i)));
                p.sender().wakeup();
            }
            CompletableFuture<?>[] others = new CompletableFuture<?>[4];
            for (int t = 0; t < others.length; t++) {
                others[t] = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 1000; i++) {
                        p.sender().wakeup();
                    }
                });
            }
            CompletableFuture.allOf(others).get(60, TimeUnit.SECONDS);
            assertThat(p.sender().scheduledRuns() - runsBefore).as("runs queued by 4,300 wake-ups").isLessThanOrEqualTo(1);
            release.countDown();
            for (CompletableFuture<RecordMetadata> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS).offset()).isNotNegative();
            }
            assertThat(networkThread[0].getName()).startsWith("cairn-producer-net-");
        }
    }

    @Test
    void aCallbackMaySendAndItsRecordIsDelivered() throws Exception {
        try (CairnProducer<String, String> p = producer().lingerMs(0).build()) {
            CompletableFuture<RecordMetadata> second = new CompletableFuture<>();
            p.send(new ProducerRecord<>("single", "k", "first"), (md, e) ->
                    p.send(new ProducerRecord<>("single", "k", "second"), (md2, e2) -> {
                        if (e2 != null) {
                            second.completeExceptionally(e2);
                        } else {
                            second.complete(md2);
                        }
                    })).get(60, TimeUnit.SECONDS);
            assertThat(second.get(60, TimeUnit.SECONDS).offset()).isEqualTo(1);
        }
        assertThat(broker.endOffset(new TopicPartition("single", 0))).isEqualTo(2);
    }

    @Test
    void aCallbackSendingIntoAFullBufferFailsAtOnceInsteadOfBlockingTheNetworkThread() throws Exception {
        // 32 KiB of buffer.memory, 16 KiB batches, max.block.ms far longer than the test's waits: a send from
        // an application thread would wait that long; one from a callback must not wait at all.
        try (CairnProducer<String, String> p = producer().bufferMemory(32 * 1024).batchSize(16 * 1024).lingerMs(0)
                .maxBlockMs(120_000).build()) {
            connected(p);
            String value = "x".repeat(1000);
            List<CompletableFuture<RecordMetadata>> fromCallback = new ArrayList<>();
            CountDownLatch callbackDone = new CountDownLatch(1);
            p.send(new ProducerRecord<>("single", "k", "trigger"), (md, e) -> {
                // Nothing this callback queues is sent before it returns: the buffer fills after ~32 records.
                for (int i = 0; i < 100; i++) {
                    fromCallback.add(p.send(new ProducerRecord<>("single", null, value)));
                }
                callbackDone.countDown();
            });
            assertThat(callbackDone.await(30, TimeUnit.SECONDS)).as("the callback's sends did not block").isTrue();
            CompletableFuture<RecordMetadata> last = fromCallback.get(fromCallback.size() - 1);
            assertThatThrownBy(() -> last.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BufferExhaustedException.class)
                    .hasMessageContaining("called from a callback");
            assertThat(fromCallback.get(0).get(60, TimeUnit.SECONDS).offset()).as("the records that fit are delivered")
                    .isNotNegative();
            // The producer still works for application threads.
            assertThat(p.send(new ProducerRecord<>("single", "k", "after")).get(60, TimeUnit.SECONDS).offset())
                    .isNotNegative();
        }
    }

    @Test
    void flushFromACallbackThrowsInsteadOfDeadlocking() throws Exception {
        try (CairnProducer<String, String> p = producer().build()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            p.send(new ProducerRecord<>("single", "k", "v"), (md, e) -> {
                try {
                    p.flush();
                } catch (RuntimeException ex) {
                    thrown.set(ex);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("flush() called from a callback");
            p.flush(); // from an application thread it still works
        }
    }

    @Test
    void closeFromACallbackClosesWithoutWaitingAndFailsWhatIsLeft() throws Exception {
        // One request in flight at a time: while the closer's answer is held, the records behind it queue.
        CairnProducer<String, String> p = producer().clientId("closing").lingerMs(0).maxInFlightRequestsPerConnection(1)
                .build();
        connected(p);
        p.partitionsFor("t");
        broker.holdProduceAnswers(true);
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<RecordMetadata> first = p.send(new ProducerRecord<>("single", "k", "closer"), (md, e) -> {
            p.close();
            closed.countDown();
        });
        await("the closer's request in flight").atMost(Duration.ofSeconds(30)).until(() -> broker.heldProduceAnswers() == 1);
        List<CompletableFuture<RecordMetadata>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(p.send(new ProducerRecord<>("single", "k" + i, "v" + i)));
        }
        broker.holdProduceAnswers(false);
        assertThat(closed.await(30, TimeUnit.SECONDS)).as("close() returned inside the callback").isTrue();
        assertThat(first.get(60, TimeUnit.SECONDS).offset()).isNotNegative();
        for (CompletableFuture<RecordMetadata> f : pending) {
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ClientClosedException.class);
        }
        p.close(); // again from the application thread: returns once the network thread stopped
        await("the network thread stopped").atMost(Duration.ofSeconds(10)).until(() ->
                Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("cairn-producer-net-closing")
                        && t.isAlive()));
    }

    /** Sends 50 records over three partitions while the broker holds its produce answers; returns once some are in flight. */
    private List<CompletableFuture<RecordMetadata>> fiftyRecordsWithAnswersHeld(CairnProducer<String, String> p)
            throws Exception {
        connected(p);
        broker.holdProduceAnswers(true);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(p.send(new ProducerRecord<>("t", i % 3, "k", "v" + i)));
        }
        await("requests in flight").atMost(Duration.ofSeconds(30)).until(() -> broker.heldProduceAnswers() > 0);
        return futures;
    }

    @Test
    void closeWithRequestsInFlightWaitsForTheirAnswers() throws Exception {
        CairnProducer<String, String> p = producer().lingerMs(0).build();
        List<CompletableFuture<RecordMetadata>> futures = fiftyRecordsWithAnswersHeld(p);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> p.close(Duration.ofSeconds(60)));
        // close() waits for the in-flight requests rather than failing them.
        assertThat(futures.get(0)).isNotDone();
        assertThat(closing).isNotDone();
        broker.holdProduceAnswers(false);
        closing.get(60, TimeUnit.SECONDS);
        for (CompletableFuture<RecordMetadata> f : futures) {
            assertThat(f).isDone();
            assertThat(f.get().offset()).isNotNegative();
        }
    }

    @Test
    void closeWithATimeoutFailsRequestsStillInFlight() throws Exception {
        CairnProducer<String, String> p = producer().lingerMs(0).build();
        List<CompletableFuture<RecordMetadata>> futures = fiftyRecordsWithAnswersHeld(p);
        p.close(Duration.ofMillis(100));
        for (CompletableFuture<RecordMetadata> f : futures) {
            assertThat(f).as("every record completed by close").isDone();
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ClientClosedException.class);
        }
    }
}
