package io.cairn.broker.produce;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.FileTestLog;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.broker.partition.PartitionWriters;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceHandlerTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition B3 = new TopicPartition("b", 3);

    @TempDir
    Path dir;
    private Map<TopicPartition, FileTestLog> logs;
    private PartitionWriters writers;
    private ScheduledExecutorService loop;
    private ProduceHandler handler;

    @BeforeEach
    void setUp() {
        logs = Map.of(A0, new FileTestLog(dir, A0), B3, new FileTestLog(dir, B3));
        writers = new PartitionWriters(2);
        loop = Executors.newSingleThreadScheduledExecutor();
        PartitionRegistry registry = new PartitionRegistry(logs::get, writers, new MemoryProducerStateStore());
        handler = new ProduceHandler(new AppendService(registry, DataPathMetrics.NONE, System::currentTimeMillis));
    }

    @AfterEach
    void tearDown() {
        writers.close();
        loop.shutdownNow();
    }

    /** Handles on the loop and, as the dispatcher does, releases the request once answered. */
    private ProduceResponse handle(ProduceRequest request) throws Exception {
        CompletableFuture<CompletableFuture<ProduceResponse>> submitted = new CompletableFuture<>();
        loop.execute(() -> submitted.complete(handler.handle(request, loop)));
        CompletableFuture<ProduceResponse> response = submitted.get(5, TimeUnit.SECONDS);
        ProduceResponse answer = response.get(5, TimeUnit.SECONDS);
        request.release();
        return answer;
    }

    private static ProduceRequest request(int acks, int timeoutMs, ByteBuf a0, ByteBuf b3, ByteBuf unknown) {
        return new ProduceRequest((short) acks, timeoutMs, List.of(
                new ProduceRequest.TopicData("a", List.of(new ProduceRequest.PartitionData(0, a0))),
                new ProduceRequest.TopicData("b", List.of(new ProduceRequest.PartitionData(3, b3),
                        new ProduceRequest.PartitionData(7, unknown)))));
    }

    @Test
    void answersEveryPartitionInRequestOrder() throws Exception {
        ByteBuf a0 = direct(batch(2, 0));
        ByteBuf b3 = direct(batch(3, 0));
        ByteBuf unknown = direct(batch(1, 0));
        ProduceResponse response = handle(request(1, 1000, a0, b3, unknown));
        assertThat(response.topics()).extracting(ProduceResponse.TopicResponse::name).containsExactly("a", "b");
        ProduceResponse.PartitionResponse pa = response.topics().get(0).partitions().get(0);
        assertThat(pa.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(pa.baseOffset()).isZero();
        List<ProduceResponse.PartitionResponse> pb = response.topics().get(1).partitions();
        assertThat(pb).extracting(ProduceResponse.PartitionResponse::partitionIndex).containsExactly(3, 7);
        assertThat(pb.get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(pb.get(1).errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(pb.get(1).errorMessage()).contains("b", "7");
        assertThat(List.of(a0, b3, unknown)).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(logs.get(B3).logEndOffset()).isEqualTo(3);
    }

    @Test
    void acksZeroHasNoResponseButAppends() throws Exception {
        CompletableFuture<CompletableFuture<ProduceResponse>> submitted = new CompletableFuture<>();
        ProduceRequest request = request(0, 1000, direct(batch(2, 0)), direct(batch(1, 0)), direct(batch(1, 0)));
        loop.execute(() -> submitted.complete(handler.handle(request, loop)));
        assertThat(submitted.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS)).isNull();
        request.release();
        org.awaitility.Awaitility.await("acks=0 append").atMost(5, TimeUnit.SECONDS)
                .until(() -> logs.get(A0).logEndOffset() == 2 && logs.get(B3).logEndOffset() == 1);
        org.awaitility.Awaitility.await("acks=0 buffers released").atMost(5, TimeUnit.SECONDS)
                .until(() -> request.topics().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.records().refCnt() == 0));
    }

    @Test
    void invalidAcksIsRefusedWithoutAppending() throws Exception {
        ByteBuf a0 = direct(batch(2, 0));
        ProduceResponse response = handle(request(2, 1000, a0, direct(batch(1, 0)), direct(batch(1, 0))));
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(ErrorCode.INVALID_REQUIRED_ACKS.code());
        assertThat(a0.refCnt()).isZero();
        assertThat(logs.get(A0).logEndOffset()).isZero();
    }

    @Test
    void acksAllNotFlushedWithinTimeoutIsTimedOut() throws Exception {
        ByteBuf a0 = direct(batch(2, 0));
        ProduceResponse response = handle(request(-1, 50, a0, direct(batch(1, 0)), direct(batch(1, 0))));
        assertThat(a0.refCnt()).isZero();
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(ErrorCode.REQUEST_TIMED_OUT.code());
        // the unknown partition keeps its own answer
        assertThat(response.topics().get(1).partitions().get(1).errorCode())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void acksAllIsAnsweredWhenFlushed() throws Exception {
        logs.get(A0).autoFlush(true);
        logs.get(B3).autoFlush(true);
        ProduceResponse response = handle(request(-1, 30_000, direct(batch(2, 0)), direct(batch(1, 0)),
                direct(batch(1, 0))));
        assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(response.topics().get(1).partitions().get(0).baseOffset()).isZero();
    }

    @Test
    void illegalTopicNameIsInvalidTopic() throws Exception {
        ByteBuf records = direct(batch(1, 0));
        ProduceResponse response = handle(new ProduceRequest((short) 1, 1000, List.of(
                new ProduceRequest.TopicData("bad/name", List.of(new ProduceRequest.PartitionData(0, records))))));
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION.code());
        assertThat(records.refCnt()).isZero();
    }
}
