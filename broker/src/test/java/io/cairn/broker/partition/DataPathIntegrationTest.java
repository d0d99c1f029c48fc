package io.cairn.broker.partition;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.bytes;
import static io.cairn.broker.partition.TestBatches.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce, fetch, ListOffsets and InitProducerId against a real broker over TCP. */
class DataPathIntegrationTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final AtomicReference<DataPathExtension> dataPath = new AtomicReference<>();

    @BeforeEach
    void start() {
        // the standard data path, kept at hand to watch its parked fetches
        broker = EmbeddedBroker.builder(dir).extensions(() -> {
            DataPathExtension extension = new DataPathExtension();
            dataPath.set(extension);
            return List.of(extension);
        }).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Creates a topic over the wire (CreateTopics). */
    private void createTopic(RawClient client, String name, int partitions) {
        broker.createTopic(name, partitions);
    }

    private static ProduceRequest produceRequest(String topic, int partition, int acks, ByteBuffer... batches) {
        ByteBuf records = Unpooled.buffer();
        for (ByteBuffer b : batches) {
            records.writeBytes(b.duplicate());
        }
        return new ProduceRequest((short) acks, 30_000, List.of(new ProduceRequest.TopicData(topic,
                List.of(new ProduceRequest.PartitionData(partition, records)))));
    }

    private static ProduceResponse.PartitionResponse produce(RawClient client, String topic, int partition, int acks,
                                                             ByteBuffer... batches) {
        ProduceRequest request = produceRequest(topic, partition, acks, batches);
        try {
            return client.call(ApiSpecs.PRODUCE, request).topics().get(0).partitions().get(0);
        } finally {
            request.release();
        }
    }

    private static FetchRequest fetchRequest(String topic, int partition, long offset, int maxWaitMs, int minBytes) {
        return new FetchRequest(maxWaitMs, minBytes, 1 << 20, FetchRequest.READ_UNCOMMITTED, List.of(
                new FetchRequest.FetchTopic(topic, List.of(new FetchRequest.FetchPartition(partition, -1, offset, -1,
                        1 << 20)))));
    }

    /** One fetched partition with its records copied out (the response is released). */
    private record Fetched(short errorCode, long highWatermark, long logStartOffset, byte[] records) {
    }

    private static Fetched fetched(FetchResponse response) {
        try {
            FetchResponse.PartitionData p = response.topics().get(0).partitions().get(0);
            byte[] records = new byte[0];
            if (p.records() != null) {
                ByteBuf buf = p.records().buffer();
                records = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), records);
            }
            return new Fetched(p.errorCode(), p.highWatermark(), p.logStartOffset(), records);
        } finally {
            response.release();
        }
    }

    private static Fetched fetch(RawClient client, String topic, int partition, long offset) {
        return fetched(client.call(ApiSpecs.FETCH, fetchRequest(topic, partition, offset, 0, 1)));
    }

    /** The batches of a fetched byte run, each copied, in order. */
    private static List<ByteBuffer> batchesOf(byte[] records) {
        List<ByteBuffer> out = new ArrayList<>();
        RecordBatches walk = RecordBatches.of(ByteBuffer.wrap(records));
        while (walk.hasNext()) {
            RecordBatch b = walk.next();
            out.add(ByteBuffer.wrap(Arrays.copyOfRange(records, b.position(), b.position() + b.sizeInBytes())));
        }
        assertThat(walk.position()).as("fetched bytes end on a batch boundary").isEqualTo(records.length);
        return out;
    }

    /** Everything from magic on (the broker sets baseOffset and partitionLeaderEpoch): what it must keep as built. */
    private static byte[] body(ByteBuffer batch) {
        return Arrays.copyOfRange(bytes(batch), 16, batch.remaining());
    }

    private long listOffset(RawClient client, String topic, int partition, long timestamp) {
        ListOffsetsResponse response = client.call(ApiSpecs.LIST_OFFSETS, new ListOffsetsRequest(FetchRequest.READ_UNCOMMITTED,
                List.of(new ListOffsetsRequest.ListOffsetsTopic(topic,
                        List.of(new ListOffsetsRequest.ListOffsetsPartition(partition, -1, timestamp))))));
        ListOffsetsResponse.ListOffsetsPartitionResponse p = response.topics().get(0).partitions().get(0);
        assertThat(p.errorCode()).isEqualTo(ErrorCode.NONE.code());
        return p.offset();
    }

    // ---- tests ------------------------------------------------------------------------------

    @Test
    void everyAcksModeAppendsAndFetchReturnsTheSameBatches() {
        try (RawClient client = broker.rawClient()) {
            createTopic(client, "events", 2);
            ByteBuffer one = batch(3, 1_000);
            ByteBuffer all = batch(2, 2_000);
            ByteBuffer none = batch(4, 3_000);
            ByteBuffer last = batch(1, 4_000);
            ProduceResponse.PartitionResponse r1 = produce(client, "events", 1, 1, one);
            ProduceResponse.PartitionResponse rAll = produce(client, "events", 1, -1, all);
            ProduceRequest fireAndForget = produceRequest("events", 1, 0, none);
            client.send(ApiSpecs.PRODUCE, 0, fireAndForget);
            fireAndForget.release();
            // acks=0 has no answer; the next answer on the connection proves it was appended first
            ProduceResponse.PartitionResponse rLast = produce(client, "events", 1, 1, last);
            assertThat(List.of(r1.errorCode(), rAll.errorCode(), rLast.errorCode())).containsOnly(ErrorCode.NONE.code());
            assertThat(r1.baseOffset()).isZero();
            assertThat(rAll.baseOffset()).isEqualTo(3);
            assertThat(rLast.baseOffset()).isEqualTo(9);

            Fetched f = fetch(client, "events", 1, 0);
            assertThat(f.errorCode()).isEqualTo(ErrorCode.NONE.code());
            assertThat(f.highWatermark()).isEqualTo(10);
            List<ByteBuffer> got = batchesOf(f.records());
            assertThat(got).hasSize(4);
            long[] bases = {0, 3, 5, 9};
            ByteBuffer[] sent = {one, all, none, last};
            for (int i = 0; i < 4; i++) {
                assertThat(got.get(i).getLong(0)).isEqualTo(bases[i]);
                assertThat(body(got.get(i))).as("batch %d", i).isEqualTo(body(sent[i]));
                assertThat(new RecordBatch(got.get(i), 0).isCrcValid()).isTrue();
            }
            assertThat(fetch(client, "events", 0, 0).records()).isEmpty();
        }
    }

    @Test
    void pipelinedProducesOnOneConnectionAreAppendedInSendOrder() {
        try (RawClient client = broker.rawClient()) {
            createTopic(client, "ordered", 1);
            List<Integer> correlationIds = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ProduceRequest request = produceRequest("ordered", 0, i % 2 == 0 ? 1 : -1, batch(1 + i % 4, i));
                correlationIds.add(client.send(ApiSpecs.PRODUCE, 0, request));
                request.release();
            }
            // answers come back as they are ready (acks=all after its fsync), matched by correlation id
            Map<Integer, Long> baseOffsets = new java.util.HashMap<>();
            for (int i = 0; i < 50; i++) {
                RawClient.Response response = client.receive();
                ProduceResponse decoded = response.decode(ApiSpecs.PRODUCE, 0);
                baseOffsets.put(response.correlationId(), decoded.topics().get(0).partitions().get(0).baseOffset());
            }
            long expected = 0;
            for (int i = 0; i < 50; i++) {
                assertThat(baseOffsets.get(correlationIds.get(i))).as("request %d", i).isEqualTo(expected);
                expected += 1 + i % 4;
            }
        }
    }

    @Test
    void longPollIsWokenWithinMillisecondsOfAnAppend() {
        try (RawClient consumer = broker.rawClient(); RawClient producer = broker.rawClient()) {
            createTopic(consumer, "ticks", 1);
            List<Long> latenciesMicros = new ArrayList<>();
            List<Long> afterProduceMicros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int correlationId = consumer.send(ApiSpecs.FETCH, 0, fetchRequest("ticks", 0, i, 30_000, 1));
                Awaitility.await("fetch parked").atMost(Duration.ofSeconds(10))
                        .until(() -> dataPath.get().services().fetches().parkedCount() == 1);
                long start = System.nanoTime();
                produce(producer, "ticks", 0, 1, batch(1, i));
                long produced = System.nanoTime();
                Fetched f = fetched(consumer.receive(ApiSpecs.FETCH, 0, correlationId));
                long answered = System.nanoTime();
                latenciesMicros.add((answered - start) / 1000);
                afterProduceMicros.add((answered - produced) / 1000);
                assertThat(batchesOf(f.records())).hasSize(1);
                assertThat(batchesOf(f.records()).get(0).getLong(0)).isEqualTo(i);
            }
            List<Long> sorted = latenciesMicros.stream().sorted().toList();
            List<Long> after = afterProduceMicros.stream().sorted().toList();
            System.out.printf("long-poll wake, 20 rounds: produce sent -> fetch answered median %d us, max %d us;"
                            + " produce answered -> fetch answered median %d us, max %d us%n",
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), after.get(after.size() / 2),
                    after.get(after.size() - 1));
            // woken by the append, not by the 30 s maxWaitMs
            assertThat(sorted.get(sorted.size() - 1)).isLessThan(TimeUnit.SECONDS.toMicros(5));
        }
    }

    @Test
    void listOffsetsEarliestLatestAndByTimestamp() {
        try (RawClient client = broker.rawClient()) {
            createTopic(client, "clock", 1);
            produce(client, "clock", 0, 1, batch(5, 10_000));
            produce(client, "clock", 0, 1, batch(5, 20_000));
            produce(client, "clock", 0, 1, batch(5, 30_000));
            assertThat(listOffset(client, "clock", 0, ListOffsetsRequest.EARLIEST_TIMESTAMP)).isZero();
            assertThat(listOffset(client, "clock", 0, ListOffsetsRequest.LATEST_TIMESTAMP)).isEqualTo(15);
            assertThat(listOffset(client, "clock", 0, 15_000)).isEqualTo(5);
            // record timestamps are 30_000..30_004 at offsets 10..14: the first at or after 30_004 is offset 14
            assertThat(listOffset(client, "clock", 0, 30_004)).isEqualTo(14);
            assertThat(listOffset(client, "clock", 0, 99_999)).isEqualTo(-1);
        }
    }

    @Test
    void idempotentRetriesAreAnsweredWithTheOriginalOffsetAndStoredOnce() {
        try (RawClient client = broker.rawClient()) {
            createTopic(client, "payments", 1);
            InitProducerIdResponse init = client.call(ApiSpecs.INIT_PRODUCER_ID,
                    new InitProducerIdRequest(null, 0, -1, (short) -1));
            assertThat(init.errorCode()).isEqualTo(ErrorCode.NONE.code());
            long pid = init.producerId();
            short epoch = init.producerEpoch();
            assertThat(produce(client, "payments", 0, -1, idempotent(pid, epoch, 0, 3, 0)).baseOffset()).isZero();
            assertThat(produce(client, "payments", 0, -1, idempotent(pid, epoch, 3, 2, 0)).baseOffset()).isEqualTo(3);
            ProduceResponse.PartitionResponse retry = produce(client, "payments", 0, -1, idempotent(pid, epoch, 0, 3, 0));
            assertThat(retry.errorCode()).isEqualTo(ErrorCode.NONE.code());
            assertThat(retry.baseOffset()).isZero();
            ProduceResponse.PartitionResponse gap = produce(client, "payments", 0, -1, idempotent(pid, epoch, 9, 1, 0));
            assertThat(gap.errorCode()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(gap.errorMessage()).contains("payments-0", "expected sequence 5");
            assertThat(batchesOf(fetch(client, "payments", 0, 0).records())).hasSize(2);
            assertThat(listOffset(client, "payments", 0, ListOffsetsRequest.LATEST_TIMESTAMP)).isEqualTo(5);
        }
    }

    @Test
    void badInputGetsADefinedErrorAndChangesNothing() {
        try (RawClient client = broker.rawClient()) {
            createTopic(client, "strict", 1);
            produce(client, "strict", 0, 1, batch(2, 0));
            ByteBuffer corrupt = batch(3, 0);
            corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
            ProduceResponse.PartitionResponse crc = produce(client, "strict", 0, -1, corrupt);
            assertThat(crc.errorCode()).isEqualTo(ErrorCode.CORRUPT_MESSAGE.code());
            assertThat(crc.errorMessage()).contains("strict-0", "batch 0", "CRC");
            assertThat(crc.baseOffset()).isEqualTo(-1);

            ProduceResponse.PartitionResponse missingPartition = produce(client, "strict", 5, 1, batch(1, 0));
            assertThat(missingPartition.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(missingPartition.errorMessage()).contains("strict", "5");
            ProduceResponse.PartitionResponse missingTopic = produce(client, "nowhere", 0, 1, batch(1, 0));
            assertThat(missingTopic.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());

            Fetched pastEnd = fetch(client, "strict", 0, 3);
            assertThat(pastEnd.errorCode()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE.code());
            assertThat(pastEnd.highWatermark()).isEqualTo(2);
            assertThat(pastEnd.logStartOffset()).isZero();

            Fetched all = fetch(client, "strict", 0, 0);
            assertThat(batchesOf(all.records())).hasSize(1);
            assertThat(listOffset(client, "strict", 0, ListOffsetsRequest.LATEST_TIMESTAMP)).isEqualTo(2);
        }
    }

    @Test
    void logAppendTimeTopicsAreStampedWithTheBrokerClock() {
        broker.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        try (RawClient client = broker.rawClient()) {
            long before = System.currentTimeMillis();
            ProduceResponse.PartitionResponse r = produce(client, "stamped", 0, 1, batch(3, 42));
            assertThat(r.logAppendTimeMs()).isBetween(before, System.currentTimeMillis());
            RecordBatch stored = new RecordBatch(batchesOf(fetch(client, "stamped", 0, 0).records()).get(0), 0);
            assertThat(stored.timestampType()).isEqualTo(io.cairn.protocol.record.TimestampType.LOG_APPEND_TIME);
            assertThat(stored.maxTimestamp()).isEqualTo(r.logAppendTimeMs());
            assertThat(stored.isCrcValid()).isTrue();
        }
    }

    @Test
    void withAutoCreateAProduceToAMissingTopicCreatesItAndTheRetrySucceeds() {
        try (EmbeddedBroker auto = EmbeddedBroker.builder(dir.resolve("auto"))
                .set("auto.create.topics.enable", "true").start();
             RawClient client = auto.rawClient()) {
            ProduceResponse.PartitionResponse first = produce(client, "born", 0, 1, batch(1, 0));
            assertThat(first.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
            Awaitility.await("retried produce to the auto-created topic").atMost(Duration.ofSeconds(10))
                    .until(() -> produce(client, "born", 0, 1, batch(1, 0)).errorCode() == ErrorCode.NONE.code());
            assertThat(listOffset(client, "born", 0, ListOffsetsRequest.LATEST_TIMESTAMP)).isEqualTo(1);
        }
    }

    @Test
    void everyAcksAllRecordSurvivesACrash() throws Exception {
        int producers = 4;
        int perProducer = 30;
        Map<Long, byte[]> acked = new ConcurrentHashMap<>();
        long pid;
        ByteBuffer lastIdempotent;
        long lastIdempotentOffset;
        try (RawClient admin = broker.rawClient()) {
            createTopic(admin, "ledger", 1);
            pid = admin.call(ApiSpecs.INIT_PRODUCER_ID, new InitProducerIdRequest(null, 0, -1, (short) -1)).producerId();
        }
        ExecutorService threads = Executors.newFixedThreadPool(producers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            done.add(CompletableFuture.runAsync(() -> {
                try (RawClient client = broker.rawClient()) {
                    for (int i = 0; i < perProducer; i++) {
                        ByteBuffer b = batch(1 + (i % 3), producer * 1000L + i);
                        ProduceResponse.PartitionResponse r = produce(client, "ledger", 0, -1, b);
                        assertThat(r.errorCode()).isEqualTo(ErrorCode.NONE.code());
                        acked.put(r.baseOffset(), body(b));
                    }
                }
            }, threads));
        }
        for (CompletableFuture<Void> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        try (RawClient client = broker.rawClient()) {
            for (int seq = 0; seq < 10; seq += 2) {
                lastIdempotent = idempotent(pid, (short) 0, seq, 2, seq);
                produce(client, "ledger", 0, -1, lastIdempotent);
            }
            lastIdempotent = idempotent(pid, (short) 0, 10, 2, 10);
            lastIdempotentOffset = produce(client, "ledger", 0, -1, lastIdempotent).baseOffset();
        }

        broker.crash();
        broker.restart();

        try (RawClient client = broker.rawClient()) {
            Map<Long, byte[]> found = new java.util.HashMap<>();
            long offset = 0;
            while (true) {
                Fetched f = fetch(client, "ledger", 0, offset);
                assertThat(f.errorCode()).isEqualTo(ErrorCode.NONE.code());
                if (f.records().length == 0) {
                    break;
                }
                for (ByteBuffer b : batchesOf(f.records())) {
                    RecordBatch view = new RecordBatch(b, 0);
                    assertThat(view.isCrcValid()).isTrue();
                    found.put(view.baseOffset(), body(b));
                    offset = view.nextOffset();
                }
            }
            assertThat(acked).hasSize(producers * perProducer);
            for (Map.Entry<Long, byte[]> e : acked.entrySet()) {
                assertThat(found.get(e.getKey())).as("acked batch at offset %d", e.getKey()).isEqualTo(e.getValue());
            }
            // producer state survived the crash: the retry is recognised, not appended again
            long end = listOffset(client, "ledger", 0, ListOffsetsRequest.LATEST_TIMESTAMP);
            ProduceResponse.PartitionResponse retry = produce(client, "ledger", 0, -1, lastIdempotent);
            assertThat(retry.errorCode()).isEqualTo(ErrorCode.NONE.code());
            assertThat(retry.baseOffset()).isEqualTo(lastIdempotentOffset);
            assertThat(listOffset(client, "ledger", 0, ListOffsetsRequest.LATEST_TIMESTAMP)).isEqualTo(end);
        }
    }
}
