package io.cairn.broker.partition;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static io.cairn.broker.partition.TestBatches.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.fetch.FetchSpec;
import io.cairn.broker.fetch.FetchedPartition;
import io.cairn.broker.fetch.OffsetLookupService;
import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.broker.produce.Acks;
import io.cairn.broker.produce.AppendResult;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.broker.producer.MemoryProducerIdStore;
import io.cairn.protocol.FileSlice;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.Log;
import io.cairn.storage.LogConfig;
import io.cairn.storage.LogManager;
import io.cairn.storage.LogManagerConfig;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-path services over storage's real logs and flush service, without the network. */
class StorageDataPathTest {
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("metrics", 0),
            new TopicPartition("metrics", 1), new TopicPartition("metrics", 2), new TopicPartition("metrics", 3));

    @TempDir
    Path dir;
    private LogManager logs;
    private DataPathServices services;
    private MemoryProducerStateStore producerStates;
    private ScheduledExecutorService loop;
    private BrokerMetrics metrics;

    @BeforeEach
    void setUp() {
        producerStates = new MemoryProducerStateStore();
        metrics = BrokerMetrics.prometheus();
        loop = Executors.newSingleThreadScheduledExecutor();
        open();
    }

    private void open() {
        logs = LogManager.open(dir, LogManagerConfig.builder().build());
        for (TopicPartition tp : PARTITIONS) {
            logs.getOrCreateLog(tp, LogConfig.defaults());
        }
        services = new DataPathServices(new DataPathServices.Settings(2, 2, 86_400_000L, 60_000L, 100),
                new StorageLogs(logs), producerStates, new MemoryProducerIdStore(), new BrokerDataPathMetrics(metrics),
                System::currentTimeMillis);
    }

    private void closeAll() {
        services.close();
        logs.close();
    }

    @AfterEach
    void tearDown() {
        closeAll();
        loop.shutdownNow();
        metrics.close();
    }

    private CompletableFuture<AppendResult> produce(TopicPartition tp, ByteBuffer batch, Acks acks) {
        CompletableFuture<AppendResult> done = new CompletableFuture<>();
        services.appends().append(tp, direct(batch), acks, loop, done::complete);
        return done;
    }

    @Test
    void concurrentAcksAllProducesShareForces() throws Exception {
        int producers = 16;
        int perProducer = 20;
        Log log0 = logs.log(PARTITIONS.get(0)).orElseThrow();
        long forcesBefore = logs.flushService().forceCount();
        ExecutorService threads = Executors.newFixedThreadPool(producers);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<Long>>> acked = new ArrayList<>();
        List<Throwable> notDurable = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < producers; p++) {
            TopicPartition tp = PARTITIONS.get(0);
            Log log = log0;
            acked.add(CompletableFuture.supplyAsync(() -> {
                List<Long> offsets = new ArrayList<>();
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        AppendResult r = produce(tp, batch(2, i), Acks.ALL).get(10, TimeUnit.SECONDS);
                        // answered only once storage counts the batch as forced
                        if (log.recoveryPoint() < r.baseOffset() + 2) {
                            notDurable.add(new AssertionError(tp + " offset " + r.baseOffset() + " acked above recovery point "
                                    + log.recoveryPoint()));
                        }
                        offsets.add(r.baseOffset());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return offsets;
            }, threads));
        }
        start.countDown();
        for (CompletableFuture<List<Long>> f : acked) {
            assertThat(f.get(60, TimeUnit.SECONDS)).hasSize(perProducer);
        }
        threads.shutdown();
        long forces = logs.flushService().forceCount() - forcesBefore;
        int produces = producers * perProducer;
        System.out.printf("group commit: %d acks=all produces from %d concurrent producers to one partition, %d forces"
                + " (%.2f forces per produce)%n", produces, producers, forces, (double) forces / produces);
        assertThat(notDurable).isEmpty();
        assertThat(metrics.scrape()).contains("cairn_log_flush_latency_seconds_count " + produces + "\n");
        assertThat(forces).as("forces for %d acks=all produces", produces).isLessThan(produces / 2);
        assertThat(log0.logEndOffset()).isEqualTo(2L * perProducer * producers);
    }

    @Test
    void fetchReturnsSlicesOfTheSegmentFileWithTheProducedBytes() throws Exception {
        TopicPartition tp = PARTITIONS.get(1);
        ByteBuffer first = batch(3, 100);
        ByteBuffer second = batch(2, 200);
        produce(tp, first.duplicate(), Acks.LEADER).get(5, TimeUnit.SECONDS);
        produce(tp, second.duplicate(), Acks.LEADER).get(5, TimeUnit.SECONDS);
        CompletableFuture<List<FetchedPartition>> fetched = new CompletableFuture<>();
        services.fetches().fetch(new FetchSpec(List.of(new FetchSpec.Partition(tp, 0, 1 << 20)), 0, 1, 1 << 20), loop,
                fetched::complete);
        FetchedPartition p = fetched.get(5, TimeUnit.SECONDS).get(0);
        assertThat(p.error()).isEqualTo(ErrorCode.NONE);
        assertThat(p.highWatermark()).isEqualTo(5);
        FileSlice slice = p.records();
        assertThat(slice.length()).isEqualTo(first.remaining() + second.remaining());
        ByteBuffer read = ByteBuffer.allocate(slice.length());
        while (read.hasRemaining()) {
            slice.channel().read(read, slice.position() + read.position());
        }
        read.flip();
        assertThat(read.getLong(0)).isZero();
        assertThat(read.getLong(first.remaining())).isEqualTo(3);
        assertThat(read.slice(16, first.remaining() - 16)).isEqualTo(first.slice(16, first.remaining() - 16));
        assertThat(read.slice(first.remaining() + 16, second.remaining() - 16))
                .isEqualTo(second.slice(16, second.remaining() - 16));

        new BrokerDataPathMetrics(metrics).bindWaiting(services);
        String scrape = metrics.scrape();
        int bytes = first.remaining() + second.remaining();
        assertThat(scrape).contains("cairn_bytes_in_total{topic=\"metrics\"} " + bytes + ".0",
                "cairn_records_in_total{topic=\"metrics\"} 5.0",
                "cairn_bytes_out_total{topic=\"metrics\"} " + bytes + ".0",
                "cairn_records_out_total{topic=\"metrics\"} 5.0",
                "cairn_purgatory_waiting{purgatory=\"fetch\"} 0.0",
                "cairn_purgatory_waiting{purgatory=\"produce\"} 0.0");
    }

    @Test
    void offsetsByTimestampComeFromTheTimeIndex() throws Exception {
        TopicPartition tp = PARTITIONS.get(2);
        produce(tp, batch(3, 1_000), Acks.LEADER).get(5, TimeUnit.SECONDS);
        produce(tp, batch(3, 2_000), Acks.LEADER).get(5, TimeUnit.SECONDS);
        OffsetLookupService offsets = services.offsets();
        assertThat(offsets.lookup(tp, 1_500).offset()).isEqualTo(3);
        assertThat(offsets.lookup(tp, 1_500).timestamp()).isEqualTo(2_000);
        assertThat(offsets.lookup(tp, 5_000).offset()).isEqualTo(-1);
        assertThat(offsets.lookup(tp, OffsetLookupService.LATEST_TIMESTAMP).offset()).isEqualTo(6);
        assertThat(offsets.lookup(tp, OffsetLookupService.EARLIEST_TIMESTAMP).offset()).isZero();
    }

    @Test
    void producerStateSurvivesACleanRestart() throws Exception {
        TopicPartition tp = PARTITIONS.get(3);
        produce(tp, batch(4, 0), Acks.LEADER).get(5, TimeUnit.SECONDS);
        assertThat(produce(tp, idempotent(11, (short) 0, 0, 3, 0), Acks.ALL).get(5, TimeUnit.SECONDS).baseOffset())
                .isEqualTo(4);
        closeAll();
        assertThat(producerStates.load("metrics", 3).logOffset()).isEqualTo(7);
        open();
        AppendResult duplicate = produce(tp, idempotent(11, (short) 0, 0, 3, 0), Acks.ALL).get(5, TimeUnit.SECONDS);
        assertThat(duplicate.baseOffset()).isEqualTo(4);
        assertThat(logs.log(tp).orElseThrow().logEndOffset()).isEqualTo(7);
        AppendResult gap = produce(tp, idempotent(11, (short) 0, 4, 1, 0), Acks.ALL).get(5, TimeUnit.SECONDS);
        assertThat(gap.error()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }
}
