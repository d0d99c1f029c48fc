package io.cairn.broker.fetch;

import static io.cairn.broker.partition.TestBatches.batch;
import static io.cairn.broker.partition.TestBatches.direct;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.FileTestLog;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.broker.partition.PartitionWriters;
import io.cairn.broker.producer.MemoryProducerStateStore;
import io.cairn.broker.produce.Acks;
import io.cairn.broker.produce.AppendResult;
import io.cairn.broker.produce.AppendService;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.TopicPartition;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchHandlerTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private FileTestLog log;
    private PartitionWriters writers;
    private ScheduledExecutorService loop;
    private ExecutorService readers;
    private FetchService fetches;
    private AppendService appends;
    private FetchHandler handler;

    @BeforeEach
    void setUp() {
        log = new FileTestLog(dir, T0);
        writers = new PartitionWriters(1);
        loop = Executors.newSingleThreadScheduledExecutor();
        readers = Executors.newSingleThreadExecutor();
        PartitionRegistry registry = new PartitionRegistry(tp -> tp.equals(T0) ? log : null, writers,
                new MemoryProducerStateStore());
        fetches = new FetchService(registry, readers, DataPathMetrics.NONE);
        appends = new AppendService(registry, DataPathMetrics.NONE, System::currentTimeMillis);
        handler = new FetchHandler(fetches);
    }

    @AfterEach
    void tearDown() {
        writers.close();
        loop.shutdownNow();
        readers.shutdownNow();
    }

    private static FetchRequest request(long offset, int maxWaitMs, String... topics) {
        return new FetchRequest(maxWaitMs, 1, 1 << 20, FetchRequest.READ_UNCOMMITTED, java.util.Arrays.stream(topics)
                .map(t -> new FetchRequest.FetchTopic(t, List.of(new FetchRequest.FetchPartition(0, -1, offset, -1,
                        1 << 20)))).toList());
    }

    @Test
    void recordsAreFileSlicesAndEveryTopicIsAnsweredInOrder() throws Exception {
        CompletableFuture<AppendResult> appended = new CompletableFuture<>();
        appends.append(T0, direct(batch(2, 0)), Acks.LEADER, loop, appended::complete);
        appended.get(5, TimeUnit.SECONDS);
        FetchResponse response = handler.handle(request(0, 0, "t", "bad/name", "absent"), loop).get(5, TimeUnit.SECONDS);
        assertThat(response.topics()).extracting(FetchResponse.TopicResponse::name)
                .containsExactly("t", "bad/name", "absent");
        FetchResponse.PartitionData t = response.topics().get(0).partitions().get(0);
        assertThat(t.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(t.highWatermark()).isEqualTo(2);
        assertThat(t.lastStableOffset()).isEqualTo(2);
        assertThat(t.records()).isInstanceOf(RecordBytes.InFile.class);
        assertThat(response.topics().get(1).partitions().get(0).errorCode())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(response.topics().get(2).partitions().get(0).errorCode())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void aParkedFetchIsAnsweredWhenItsConnectionCloses() throws Exception {
        Promise<Void> closed = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
        CompletableFuture<FetchResponse> response = handler.handle(request(0, 60_000, "t"), loop, closed);
        org.awaitility.Awaitility.await("fetch parked").atMost(5, TimeUnit.SECONDS)
                .until(() -> fetches.parkedCount() == 1);
        closed.setSuccess(null);
        FetchResponse answered = response.get(5, TimeUnit.SECONDS);
        assertThat(answered.topics().get(0).partitions().get(0).records()).isNull();
        assertThat(fetches.parkedCount()).isZero();
    }
}
