package io.cairn.broker;

import static io.cairn.broker.partition.TestBatches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.FaultInjector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenarios 10 (full disk) and 11 (fsync failure), end to end through an in-process
 * broker whose storage goes through {@link FaultInjector}: what a producer is told, what a consumer
 * can still read, what {@code /health} and {@code /metrics} say, and what a restart finds.
 */
class StorageFaultsTest {
    private static final String TOPIC = "ledger";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final FaultInjector disk = new FaultInjector();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start() {
        broker = EmbeddedBroker.builder(dir).files(disk).start();
        broker.createTopic(TOPIC, 1);
    }

    @Test
    void aFullDiskRefusesProducesWithAStorageErrorKeepsServingReadsAndResumesWhenSpaceReturns() throws Exception {
        start();
        List<byte[]> acked = new ArrayList<>();
        int refused = 0;
        try (RawClient client = broker.rawClient()) {
            for (int i = 0; i < 5; i++) {
                ByteBuffer b = batch(3, 1_000 + i);
                assertThat(produce(client, -1, b).errorCode()).isEqualTo(ErrorCode.NONE.code());
                acked.add(body(b));
            }
            disk.limitSpace(700);
            for (int i = 0; i < 12; i++) {
                ByteBuffer b = batch(3, 2_000 + i);
                ProduceResponse.PartitionResponse r = produce(client, i % 2 == 0 ? -1 : 1, b);
                if (r.errorCode() == ErrorCode.NONE.code()) {
                    acked.add(body(b));
                } else {
                    refused++;
                    assertThat(r.errorCode()).as("produce on a full disk").isEqualTo(ErrorCode.STORAGE_ERROR.code());
                    assertThat(r.errorMessage()).contains("No space left on device").contains(TOPIC + "-0");
                }
            }
            assertThat(refused).as("produces refused while the disk is full").isPositive();
            assertThat(fetchAll(client)).as("reads while the disk is full").containsExactlyElementsOf(bodies(acked));
            assertThat(health()).as("a full disk is not an offline directory").isEqualTo("200 ok");
            assertThat(broker.broker().logManager().isOffline()).isFalse();

            disk.unlimitedSpace();
            for (int i = 0; i < 5; i++) {
                ByteBuffer b = batch(2, 3_000 + i);
                assertThat(produce(client, -1, b).errorCode()).as("produce once space returned")
                        .isEqualTo(ErrorCode.NONE.code());
                acked.add(body(b));
            }
            assertThat(fetchAll(client)).containsExactlyElementsOf(bodies(acked));
        }
        broker.crash();
        broker.restart();
        try (RawClient client = broker.rawClient()) {
            assertThat(fetchAll(client)).as("after a crash and recovery").containsExactlyElementsOf(bodies(acked));
        }
        System.out.printf("full disk through the broker: %d produces refused with STORAGE_ERROR, %d batches acked,"
                + " all read back after a crash%n", refused, acked.size());
    }

    @Test
    void aFailedFsyncFailsEveryWaitingProduceTakesTheDirectoryOfflineAndIsNeverRetried() throws Exception {
        start();
        try (RawClient client = broker.rawClient()) {
            assertThat(produce(client, -1, batch(2, 1)).errorCode()).isEqualTo(ErrorCode.NONE.code());
            disk.failForces(p -> p.toString().endsWith(".log"));

            List<CompletableFuture<ProduceResponse.PartitionResponse>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RawClient producer = broker.rawClient();
                ByteBuffer b = batch(2, 10 + i);
                waiting.add(CompletableFuture.supplyAsync(() -> {
                    try (producer) {
                        return produce(producer, -1, b);
                    }
                }));
            }
            for (CompletableFuture<ProduceResponse.PartitionResponse> f : waiting) {
                ProduceResponse.PartitionResponse r = f.get();
                assertThat(r.errorCode()).as("acks=all produce whose fsync failed").isEqualTo(ErrorCode.STORAGE_ERROR.code());
                assertThat(r.errorMessage()).contains("Input/output error");
            }
            long failedForces = disk.failedForceAttempts();
            assertThat(failedForces).as("one force failed; none repeated it").isEqualTo(1);

            ProduceResponse.PartitionResponse later = produce(client, 1, batch(1, 99));
            assertThat(later.errorCode()).as("produce after the directory went offline")
                    .isEqualTo(ErrorCode.STORAGE_ERROR.code());
            assertThat(later.errorMessage()).contains("offline").contains(dir.toString());
            String health = health();
            assertThat(health).startsWith("503").contains("offline").contains(dir.toAbsolutePath().toString())
                    .contains("Input/output error");
            assertThat(metrics()).containsPattern("(?m)^cairn_log_dir_offline(\\{[^}]*\\})? 1\\.0$");
            assertThat(disk.failedForceAttempts()).as("fsync is never retried").isEqualTo(failedForces);
        }
        broker.stop();
        assertThat(disk.failedForceAttempts()).as("not even at shutdown").isEqualTo(1);
        assertThat(dir.resolve(".clean-shutdown")).as("no clean marker after a failed fsync").doesNotExist();
    }

    private static ProduceResponse.PartitionResponse produce(RawClient client, int acks, ByteBuffer batch) {
        ByteBuf records = Unpooled.wrappedBuffer(batch.duplicate());
        ProduceRequest request = new ProduceRequest((short) acks, 30_000, List.of(new ProduceRequest.TopicData(TOPIC,
                List.of(new ProduceRequest.PartitionData(0, records)))));
        try {
            return client.call(ApiSpecs.PRODUCE, request).topics().get(0).partitions().get(0);
        } finally {
            request.release();
        }
    }

    /** The body (from magic on) of every batch in the partition, in offset order. */
    private static List<String> fetchAll(RawClient client) {
        List<String> found = new ArrayList<>();
        long offset = 0;
        while (true) {
            FetchResponse response = client.call(ApiSpecs.FETCH, new FetchRequest(0, 1, 1 << 20,
                    FetchRequest.READ_UNCOMMITTED, List.of(new FetchRequest.FetchTopic(TOPIC,
                    List.of(new FetchRequest.FetchPartition(0, -1, offset, -1, 1 << 20))))));
            try {
                FetchResponse.PartitionData p = response.topics().get(0).partitions().get(0);
                assertThat(p.errorCode()).as("fetch at %d", offset).isEqualTo(ErrorCode.NONE.code());
                if (p.records() == null || p.records().buffer().readableBytes() == 0) {
                    return found;
                }
                ByteBuf buf = p.records().buffer();
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                RecordBatches walk = RecordBatches.of(ByteBuffer.wrap(bytes));
                while (walk.hasNext()) {
                    RecordBatch b = walk.next();
                    assertThat(b.baseOffset()).as("offsets follow on").isEqualTo(offset);
                    assertThat(b.isCrcValid()).isTrue();
                    found.add(Arrays.toString(Arrays.copyOfRange(bytes, b.position() + 16, b.position() + b.sizeInBytes())));
                    offset = b.nextOffset();
                }
            } finally {
                response.release();
            }
        }
    }

    private static byte[] body(ByteBuffer batch) {
        byte[] all = new byte[batch.remaining()];
        batch.duplicate().get(all);
        return Arrays.copyOfRange(all, 16, all.length);
    }

    private static List<String> bodies(List<byte[]> bodies) {
        return bodies.stream().map(Arrays::toString).toList();
    }

    private String health() throws IOException, InterruptedException {
        HttpResponse<String> r = http(broker.metricsUrl().replace("/metrics", "/health"));
        return r.statusCode() + " " + r.body().trim();
    }

    private String metrics() throws IOException, InterruptedException {
        return await("metrics scrape").atMost(Duration.ofSeconds(10))
                .until(() -> http(broker.metricsUrl()), r -> r.statusCode() == 200).body();
    }

    private static HttpResponse<String> http(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
