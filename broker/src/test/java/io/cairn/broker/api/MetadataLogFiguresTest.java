package io.cairn.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.partition.TestBatches;
import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.message.ApiVersionsResponse;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.Log;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata v1 reports each partition's log figures; v0 answers as before. */
class MetadataLogFiguresTest {
    private static final int BATCHES = 12;
    private static final int RECORDS_PER_BATCH = 20;

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private RawClient client;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dir);
        client = broker.rawClient();
        // 1 KiB segments: every batch of 20 records (~500 bytes) fills half a segment
        broker.createTopic("rolled", 2, Map.of("segment.bytes", "1024"));
        for (int i = 0; i < BATCHES; i++) {
            produce("rolled", 0, TestBatches.batch(RECORDS_PER_BATCH, 1_000 + i));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        broker.close();
    }

    @Test
    void version1CarriesStartAndEndOffsetsSizeAndSegmentsOfEachPartition() throws IOException {
        MetadataResponse.Topic topic = metadata(1, "rolled");

        MetadataResponse.Partition written = topic.partitions().get(0);
        assertThat(written.errorCode()).isEqualTo(ErrorCode.NONE.code());
        assertThat(written.logStartOffset()).isZero();
        assertThat(written.logEndOffset()).isEqualTo((long) BATCHES * RECORDS_PER_BATCH);
        assertThat(written.segmentCount()).isGreaterThanOrEqualTo(2).isEqualTo(logFiles("rolled", 0).size());
        assertThat(written.sizeInBytes()).isPositive().isEqualTo(bytesOf(logFiles("rolled", 0)));

        MetadataResponse.Partition empty = topic.partitions().get(1);
        assertThat(empty).isEqualTo(new MetadataResponse.Partition(ErrorCode.NONE.code(), 1, 0, 0, 0, 0, 0, 1));
    }

    @Test
    void theStartOffsetFollowsTheLog() {
        Log log = broker.broker().logManager().log(new TopicPartition("rolled", 0)).orElseThrow();
        long firstOfLastSegment = log.roll();
        log.advanceLogStartOffset(firstOfLastSegment);

        MetadataResponse.Partition p = metadata(1, "rolled").partitions().get(0);

        assertThat(p.logStartOffset()).isEqualTo(firstOfLastSegment).isEqualTo((long) BATCHES * RECORDS_PER_BATCH);
        assertThat(p.logEndOffset()).isEqualTo(firstOfLastSegment);
        assertThat(p.sizeInBytes()).isEqualTo(log.sizeInBytes());
        assertThat(p.segmentCount()).isEqualTo(log.segmentCount());
    }

    @Test
    void version0LeavesTheLogFiguresOut() {
        MetadataResponse.Topic topic = metadata(0, "rolled");

        assertThat(topic.partitions()).containsExactly(
                new MetadataResponse.Partition(ErrorCode.NONE.code(), 0, 0, 0),
                new MetadataResponse.Partition(ErrorCode.NONE.code(), 1, 0, 0));
        assertThat(topic.partitions().get(0).sizeInBytes()).isEqualTo(MetadataResponse.Partition.UNKNOWN);
    }

    @Test
    void apiVersionsAdvertisesMetadataVersion1() {
        ApiVersionsResponse versions = client.call(ApiSpecs.API_VERSIONS, new ApiVersionsRequest(null, null));

        assertThat(versions.apiKeys()).contains(new ApiVersionsResponse.ApiVersion(
                (short) ApiKey.METADATA.id(), (short) 0, (short) 1));
    }

    @Test
    void allTopicsInVersion1IncludeTheInternalOnesWithFigures() {
        MetadataResponse all = client.call(ApiSpecs.METADATA, 1, new MetadataRequest(null, false));

        assertThat(all.topics()).isNotEmpty().allSatisfy(t -> assertThat(t.partitions()).allSatisfy(p -> {
            assertThat(p.segmentCount()).as("%s-%d", t.name(), p.partitionIndex()).isPositive();
            assertThat(p.logEndOffset()).isGreaterThanOrEqualTo(p.logStartOffset()).isNotNegative();
        }));
    }

    private MetadataResponse.Topic metadata(int version, String name) {
        MetadataResponse response = client.call(ApiSpecs.METADATA, version, new MetadataRequest(List.of(name), false));
        assertThat(response.errorCode()).isEqualTo(ErrorCode.NONE.code());
        return response.topics().get(0);
    }

    private void produce(String topic, int partition, ByteBuffer batch) {
        ProduceRequest request = new ProduceRequest((short) 1, 30_000, List.of(new ProduceRequest.TopicData(topic,
                List.of(new ProduceRequest.PartitionData(partition, Unpooled.wrappedBuffer(batch))))));
        ProduceResponse response = client.call(ApiSpecs.PRODUCE, request);
        assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
    }

    /** The segment files of a partition, straight from its directory. */
    private List<Path> logFiles(String topic, int partition) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(new TopicPartition(topic, partition).dirName()))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
        }
    }

    private static long bytesOf(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        return total;
    }
}
