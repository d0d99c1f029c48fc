package io.cairn.broker.fetch;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.FileTestLog;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.broker.partition.PartitionWriters;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.broker.produce.Acks;
import io.cairn.broker.produce.AppendResult;
import io.cairn.broker.produce.AppendService;
import io.cairn.protocol.FileSlice;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchServiceTest {
    private static final TopicPartition A = new TopicPartition("clicks", 0);
    private static final TopicPartition B = new TopicPartition("clicks", 1);

    @TempDir
    Path dir;
    private Map<TopicPartition, FileTestLog> logs;
    private PartitionWriters writers;
    private PartitionRegistry registry;
    private AppendService appends;
    private FetchService fetches;
    private OffsetLookupService offsets;
    private ScheduledExecutorService loop;
    private ExecutorService readers;
    private final java.util.concurrent.atomic.AtomicLong bytesOut = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong recordsOut = new java.util.concurrent.atomic.AtomicLong();

    @BeforeEach
    void setUp() {
        logs = Map.of(A, new FileTestLog(dir, A), B, new FileTestLog(dir, B));
        writers = new PartitionWriters(2);
        registry = new PartitionRegistry(logs::get, writers, new MemoryProducerStateStore());
        DataPathMetrics metrics = new DataPathMetrics() {
            @Override
            public void fetched(String topic, long bytes, long records) {
                bytesOut.addAndGet(bytes);
                recordsOut.addAndGet(records);
            }
        };
        appends = new AppendService(registry, metrics, System::currentTimeMillis);
        loop = Executors.newSingleThreadScheduledExecutor();
        readers = Executors.newFixedThreadPool(2);
        fetches = new FetchService(registry, readers, metrics);
        offsets = new OffsetLookupService(registry);
    }

    @AfterEach
    void tearDown() {
        writers.close();
        loop.shutdownNow();
        readers.shutdownNow();
    }

    private int produce(TopicPartition tp, ByteBuffer batch) throws Exception {
        CompletableFuture<AppendResult> done = new CompletableFuture<>();
        appends.append(tp, direct(batch), Acks.LEADER, loop, done::complete);
        assertThat(done.get(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        return batch.remaining();
    }

    private CompletableFuture<List<FetchedPartition>> fetch(FetchSpec spec) {
        CompletableFuture<List<FetchedPartition>> done = new CompletableFuture<>();
        fetches.fetch(spec, loop, done::complete);
        return done;
    }

    private static FetchSpec spec(long maxWaitMs, int minBytes, int maxBytes, FetchSpec.Partition... partitions) {
        return new FetchSpec(List.of(partitions), maxWaitMs, minBytes, maxBytes);
    }

    private static byte[] read(FileSlice slice) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(slice.length());
        while (out.hasRemaining()) {
            slice.channel().read(out, slice.position() + out.position());
        }
        return out.array();
    }

    @Test
    void returnsWholeBatchesAsFileSlicesWithinThePartitionLimit() throws Exception {
        int first = produce(A, batch(3, 0));
        int second = produce(A, batch(3, 10));
        produce(A, batch(3, 20));
        List<FetchedPartition> result = fetch(spec(0, 1, 1 << 20,
                new FetchSpec.Partition(A, 0, first + second + 10))).get(5, TimeUnit.SECONDS);
        FetchedPartition a = result.get(0);
        assertThat(a.error()).isEqualTo(ErrorCode.NONE);
        assertThat(a.highWatermark()).isEqualTo(9);
        assertThat(a.records().length()).isEqualTo(first + second);
        assertThat(read(a.records())).hasSize(first + second);
        assertThat(bytesOut.get()).isEqualTo(first + second);
        assertThat(recordsOut.get()).isEqualTo(6);
    }

    @Test
    void fetchInsideABatchStartsAtThatBatch() throws Exception {
        int first = produce(A, batch(3, 0));
        produce(A, batch(3, 10));
        FetchedPartition a = fetch(spec(0, 1, 1 << 20, new FetchSpec.Partition(A, 4, 1 << 20)))
                .get(5, TimeUnit.SECONDS).get(0);
        assertThat(a.records().position()).isEqualTo(first);
    }

    @Test
    void totalMaxBytesLetsOnlyTheFirstBatchExceedIt() throws Exception {
        int a1 = produce(A, batch(5, 0));
        produce(B, batch(5, 0));
        List<FetchedPartition> result = fetch(spec(0, 1, 10,
                new FetchSpec.Partition(A, 0, 1 << 20), new FetchSpec.Partition(B, 0, 1 << 20))).get(5, TimeUnit.SECONDS);
        assertThat(result.get(0).recordBytes()).isEqualTo(a1);
        assertThat(result.get(1).records()).isNull();
        assertThat(result.get(1).error()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void fetchPastTheEndIsOutOfRangeWithTheLogBounds() throws Exception {
        produce(A, batch(2, 0));
        FetchedPartition a = fetch(spec(500, 1, 1 << 20, new FetchSpec.Partition(A, 3, 1 << 20)))
                .get(5, TimeUnit.SECONDS).get(0);
        assertThat(a.error()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
        assertThat(a.message()).contains("clicks-0", "log start 0", "log end 2");
        assertThat(a.logEndOffset()).isEqualTo(2);
    }

    @Test
    void unknownPartitionIsReportedAtOnce() throws Exception {
        FetchedPartition x = fetch(spec(10_000, 1, 1 << 20,
                new FetchSpec.Partition(new TopicPartition("nope", 0), 0, 100))).get(5, TimeUnit.SECONDS).get(0);
        assertThat(x.error()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void fetchAtTheEndWaitsAndIsWokenByAnAppend() throws Exception {
        produce(A, batch(1, 0));
        CompletableFuture<List<FetchedPartition>> parked = fetch(spec(30_000, 1, 1 << 20,
                new FetchSpec.Partition(A, 1, 1 << 20), new FetchSpec.Partition(B, 0, 1 << 20)));
        org.awaitility.Awaitility.await("fetch parked").atMost(5, TimeUnit.SECONDS).until(() -> fetches.parkedCount() == 1);
        assertThat(parked).isNotDone();
        int size = produce(B, batch(2, 0));
        List<FetchedPartition> result = parked.get(5, TimeUnit.SECONDS);
        assertThat(result.get(0).records()).isNull();
        assertThat(result.get(1).recordBytes()).isEqualTo(size);
        assertThat(fetches.parkedCount()).isZero();
    }

    @Test
    void fetchWaitsForMinBytesAcrossAppends() throws Exception {
        int one = batch(1, 0).remaining();
        CompletableFuture<List<FetchedPartition>> parked = fetch(spec(30_000, 2 * one + 1, 1 << 20,
                new FetchSpec.Partition(A, 0, 1 << 20)));
        org.awaitility.Awaitility.await("fetch parked").atMost(5, TimeUnit.SECONDS).until(() -> fetches.parkedCount() == 1);
        produce(A, batch(1, 0));
        produce(A, batch(1, 0));
        assertThat(parked).isNotDone();
        produce(A, batch(1, 0));
        assertThat(parked.get(5, TimeUnit.SECONDS).get(0).recordBytes()).isEqualTo(3 * one);
    }

    @Test
    void fetchThatNeverGetsDataIsAnsweredEmptyAfterMaxWait() throws Exception {
        long start = System.nanoTime();
        FetchedPartition a = fetch(spec(200, 1, 1 << 20, new FetchSpec.Partition(A, 0, 1 << 20)))
                .get(5, TimeUnit.SECONDS).get(0);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(a.error()).isEqualTo(ErrorCode.NONE);
        assertThat(a.records()).isNull();
        assertThat(fetches.parkedCount()).isZero();
    }

    @Test
    void aPartitionThatFailsToReadIsAnErrorAndTheOthersAreServed() throws Exception {
        int size = produce(B, batch(2, 0));
        logs.get(A).failReads(true);
        List<FetchedPartition> result = fetch(spec(0, 1, 1 << 20, new FetchSpec.Partition(A, 0, 1 << 20),
                new FetchSpec.Partition(B, 0, 1 << 20))).get(5, TimeUnit.SECONDS);
        assertThat(result.get(0).error()).isEqualTo(ErrorCode.STORAGE_ERROR);
        assertThat(result.get(0).message()).contains("clicks-0", "offset 0");
        assertThat(result.get(1).recordBytes()).isEqualTo(size);
    }

    @Test
    void manyFetchesParkedWhileAppendsRaceAllGetAnsweredAndLeaveNoWaiter() throws Exception {
        int one = batch(1, 0).remaining();
        List<CompletableFuture<List<FetchedPartition>>> parked = new java.util.ArrayList<>();
        ExecutorService producers = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> appending = new java.util.ArrayList<>();
        for (TopicPartition tp : List.of(A, B)) {
            appending.add(producers.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    produce(tp, batch(1, i));
                }
                return null;
            }));
        }
        for (int i = 0; i < 200; i++) {
            // each wants more than one append's worth on either partition, from offset 0
            parked.add(fetch(spec(2_000, one * (1 + i % 40), 1 << 20,
                    new FetchSpec.Partition(A, 0, 1 << 20), new FetchSpec.Partition(B, 0, 1 << 20))));
        }
        for (java.util.concurrent.Future<?> f : appending) {
            f.get(30, TimeUnit.SECONDS);
        }
        producers.shutdown();
        for (CompletableFuture<List<FetchedPartition>> f : parked) {
            List<FetchedPartition> result = f.get(10, TimeUnit.SECONDS);
            assertThat(result).hasSize(2);
        }
        assertThat(fetches.parkedCount()).isZero();
        org.awaitility.Awaitility.await("no waiter left").atMost(5, TimeUnit.SECONDS).until(() ->
                registry.partition(A).waiterCount() == 0 && registry.partition(B).waiterCount() == 0);
    }

    @Test
    void shutdownAnswersParkedFetchesAtOnce() throws Exception {
        CompletableFuture<List<FetchedPartition>> parked = fetch(spec(60_000, 1, 1 << 20,
                new FetchSpec.Partition(A, 0, 1 << 20)));
        org.awaitility.Awaitility.await("fetch parked").atMost(5, TimeUnit.SECONDS)
                .until(() -> fetches.parkedCount() == 1);
        fetches.completeParked();
        assertThat(parked.get(5, TimeUnit.SECONDS).get(0).error()).isEqualTo(ErrorCode.NONE);
        assertThat(fetches.parkedCount()).isZero();
        assertThat(fetches.parkedCount()).isZero();
    }

    @Test
    void listOffsetsEarliestLatestAndByTimestamp() throws Exception {
        produce(A, batch(3, 1_000));
        produce(A, batch(3, 2_000));
        produce(A, batch(3, 3_000));
        assertThat(offsets.lookup(A, OffsetLookupService.EARLIEST_TIMESTAMP).offset()).isZero();
        assertThat(offsets.lookup(A, OffsetLookupService.LATEST_TIMESTAMP).offset()).isEqualTo(9);
        assertThat(offsets.lookup(A, 1_500).offset()).isEqualTo(3);
        assertThat(offsets.lookup(A, 3_002).offset()).isEqualTo(6);
        assertThat(offsets.lookup(A, 9_999).offset()).isEqualTo(-1);
        assertThat(offsets.lookup(new TopicPartition("nope", 1), 0).error())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }
    @Test
    void aCaughtUpFetchParksWithoutAReadThreadAndIsAnsweredAfterAnAppend() throws Exception {
        produce(A, batch(1, 0));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        FetchService counted = new FetchService(registry, task -> {
            reads.incrementAndGet();
            readers.execute(task);
        }, new DataPathMetrics() { });
        CompletableFuture<List<FetchedPartition>> parked = new CompletableFuture<>();
        counted.fetch(spec(30_000, 1, 1 << 20, new FetchSpec.Partition(A, 1, 1 << 20),
                new FetchSpec.Partition(B, 0, 1 << 20)), loop, parked::complete);
        assertThat(counted.parkedCount()).as("parked by the call itself").isOne();
        assertThat(parked).isNotDone();
        int size = produce(A, batch(2, 0));
        List<FetchedPartition> result = parked.get(5, TimeUnit.SECONDS);
        assertThat(result.get(0).recordBytes()).isEqualTo(size);
        assertThat(result.get(0).highWatermark()).isEqualTo(3);
        assertThat(result.get(1).records()).isNull();
        assertThat(reads).as("tasks given to the read executor").hasValue(0);
        assertThat(counted.parkedCount()).isZero();
    }

    @Test
    void aFetchBehindTheHighWatermarkIsReadOnTheReadExecutor() throws Exception {
        int size = produce(A, batch(1, 0));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        FetchService counted = new FetchService(registry, task -> {
            reads.incrementAndGet();
            readers.execute(task);
        }, new DataPathMetrics() { });
        CompletableFuture<List<FetchedPartition>> done = new CompletableFuture<>();
        counted.fetch(spec(30_000, 1, 1 << 20, new FetchSpec.Partition(A, 0, 1 << 20)), loop, done::complete);
        assertThat(done.get(5, TimeUnit.SECONDS).get(0).recordBytes()).isEqualTo(size);
        assertThat(reads).hasValue(1);
    }
}
