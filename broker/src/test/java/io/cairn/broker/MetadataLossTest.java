package io.cairn.broker;

import static io.cairn.broker.partition.TestBatches.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ConfigResources;
import io.cairn.protocol.message.DescribeConfigsRequest;
import io.cairn.protocol.message.DescribeConfigsResponse;
import io.cairn.protocol.message.InitProducerIdRequest;
import io.cairn.protocol.message.InitProducerIdResponse;
import io.cairn.protocol.message.ListOffsetsRequest;
import io.cairn.protocol.message.ListOffsetsResponse;
import io.cairn.protocol.message.MetadataRequest;
import io.cairn.protocol.message.MetadataResponse;
import io.cairn.protocol.message.OffsetCommitRequest;
import io.cairn.protocol.message.OffsetCommitResponse;
import io.cairn.protocol.message.OffsetFetchRequest;
import io.cairn.protocol.message.OffsetFetchResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.message.TopicPartitions;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenario 5 (broker half): the broker's RocksDB metadata directory ({@code data.dir/meta})
 * is deleted while the broker is down. At the next start the topics are back from their partition
 * directories (configs fall back to the broker defaults), an idempotent producer's retry is still
 * recognised as a duplicate (producer state comes from the batch headers), a new producer gets an id
 * no old producer used, and committed group offsets are still there (they live in
 * {@code __consumer_offsets}).
 */
class MetadataLossTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void afterMetaIsDeletedTopicsProducerStateAndCommittedOffsetsAreBack() throws IOException {
        broker = EmbeddedBroker.start(dir);
        broker.createTopic("orders", 3, Map.of("retention.ms", "86400000"));
        long pid;
        ByteBuffer last;
        long lastOffset;
        try (RawClient client = broker.rawClient()) {
            InitProducerIdResponse init = client.call(ApiSpecs.INIT_PRODUCER_ID, new InitProducerIdRequest(null, 0, -1, (short) -1));
            pid = init.producerId();
            for (int seq = 0; seq < 8; seq += 2) {
                assertThat(produce(client, "orders", 1, idempotent(pid, (short) 0, seq, 2, seq)).errorCode()).isZero();
            }
            last = idempotent(pid, (short) 0, 8, 2, 8);
            lastOffset = produce(client, "orders", 1, last).baseOffset();
            OffsetCommitResponse committed = await("coordinator loaded").atMost(Duration.ofSeconds(20)).until(
                    () -> client.call(ApiSpecs.OFFSET_COMMIT, new OffsetCommitRequest("billing", "", -1, null,
                            List.of(new OffsetCommitRequest.OffsetCommitTopic("orders",
                                    List.of(new OffsetCommitRequest.OffsetCommitPartition(1, 6, -1, "six")))))),
                    r -> r.topics().get(0).partitions().get(0).errorCode() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS.code());
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isZero();
        }
        broker.stop();
        deleteRecursively(dir.resolve("meta"));

        broker.restart();
        try (RawClient client = broker.rawClient()) {
            MetadataResponse metadata = client.call(ApiSpecs.METADATA, new MetadataRequest(List.of("orders"), false));
            MetadataResponse.Topic orders = metadata.topics().get(0);
            assertThat(orders.errorCode()).as("topic rediscovered from its partition directories").isZero();
            assertThat(orders.partitions()).hasSize(3);
            assertThat(retentionMs(client)).as("config overrides are lost: the broker default applies")
                    .isEqualTo("604800000");

            long end = endOffset(client, "orders", 1);
            ProduceResponse.PartitionResponse retry = produce(client, "orders", 1, last);
            assertThat(retry.errorCode()).as("retry of the last batch").isZero();
            assertThat(retry.baseOffset()).as("answered with its original offset").isEqualTo(lastOffset);
            assertThat(endOffset(client, "orders", 1)).as("and not appended again").isEqualTo(end);

            InitProducerIdResponse fresh = client.call(ApiSpecs.INIT_PRODUCER_ID, new InitProducerIdRequest(null, 0, -1, (short) -1));
            assertThat(fresh.producerId()).as("a new producer never gets an id still in the logs").isGreaterThan(pid);
            ProduceResponse.PartitionResponse first = produce(client, "orders", 1, idempotent(fresh.producerId(), (short) 0, 0, 1, 0));
            assertThat(first.errorCode()).isZero();
            assertThat(first.baseOffset()).as("the new producer's first batch is appended").isEqualTo(end);

            OffsetFetchResponse offsets = await("coordinator loaded").atMost(Duration.ofSeconds(20)).until(
                    () -> client.call(ApiSpecs.OFFSET_FETCH, new OffsetFetchRequest("billing",
                            List.of(new TopicPartitions("orders", List.of(1))))),
                    r -> r.errorCode() != ErrorCode.COORDINATOR_LOAD_IN_PROGRESS.code());
            assertThat(offsets.errorCode()).isZero();
            OffsetFetchResponse.OffsetFetchPartition p = offsets.topics().get(0).partitions().get(0);
            assertThat(p.committedOffset()).as("committed offset rebuilt from __consumer_offsets").isEqualTo(6);
            assertThat(p.metadata()).isEqualTo("six");
        }
    }

    private static ProduceResponse.PartitionResponse produce(RawClient client, String topic, int partition, ByteBuffer batch) {
        ProduceRequest request = new ProduceRequest((short) -1, 30_000, List.of(new ProduceRequest.TopicData(topic,
                List.of(new ProduceRequest.PartitionData(partition, Unpooled.wrappedBuffer(batch.duplicate()))))));
        try {
            return client.call(ApiSpecs.PRODUCE, request).topics().get(0).partitions().get(0);
        } finally {
            request.release();
        }
    }

    private static long endOffset(RawClient client, String topic, int partition) {
        ListOffsetsResponse response = client.call(ApiSpecs.LIST_OFFSETS, new ListOffsetsRequest((byte) 0,
                List.of(new ListOffsetsRequest.ListOffsetsTopic(topic, List.of(
                        new ListOffsetsRequest.ListOffsetsPartition(partition, -1, ListOffsetsRequest.LATEST_TIMESTAMP))))));
        return response.topics().get(0).partitions().get(0).offset();
    }

    private static String retentionMs(RawClient client) {
        DescribeConfigsResponse response = client.call(ApiSpecs.DESCRIBE_CONFIGS, new DescribeConfigsRequest(List.of(
                new DescribeConfigsRequest.DescribeConfigsResource(ConfigResources.TYPE_TOPIC, "orders",
                        List.of("retention.ms"))), false));
        return response.results().get(0).configs().get(0).value();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
