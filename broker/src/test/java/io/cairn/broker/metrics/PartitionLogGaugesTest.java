package io.cairn.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.DeleteTopicsRequest;
import io.cairn.protocol.message.DeleteTopicsResponse;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.storage.Log;
import io.cairn.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker reports cairn_log_size_bytes and cairn_log_segments for exactly the partitions it hosts. */
class PartitionLogGaugesTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aCreatedPartitionIsReportedWithItsLogsSizeAndSegments() {
        broker.createTopic("gauged", 2, Map.of("segment.bytes", "1024"));
        Log log = log("gauged", 1);
        for (int i = 0; i < 6; i++) {
            appendTo(log);
        }

        String scrape = broker.broker().metrics().scrape();

        assertThat(gauge(scrape, "cairn_log_size_bytes", "gauged", 1)).isEqualTo(log.sizeInBytes()).isPositive();
        assertThat(gauge(scrape, "cairn_log_segments", "gauged", 1)).isEqualTo(log.segmentCount()).isGreaterThanOrEqualTo(2);
        assertThat(gauge(scrape, "cairn_log_size_bytes", "gauged", 0)).isZero();
        assertThat(gauge(scrape, "cairn_log_segments", "gauged", 0)).isEqualTo(1);
    }

    @Test
    void aDeletedTopicIsNoLongerReported() {
        broker.createTopic("doomed", 1);
        assertThat(broker.broker().metrics().scrape()).contains("topic=\"doomed\"");

        try (RawClient client = broker.rawClient()) {
            DeleteTopicsResponse response = client.call(ApiSpecs.DELETE_TOPICS, new DeleteTopicsRequest(List.of("doomed"), 30_000));
            assertThat(response.topics().get(0).errorCode()).isEqualTo(ErrorCode.NONE.code());
        }

        assertThat(broker.broker().metrics().scrape()).doesNotContain("topic=\"doomed\"");
        broker.createTopic("doomed", 1);
        assertThat(gauge(broker.broker().metrics().scrape(), "cairn_log_segments", "doomed", 0)).isEqualTo(1);
    }

    @Test
    void partitionsOpenedAtStartUpAndGrownOnesAreReported() {
        broker.createTopic("kept", 1);
        appendTo(log("kept", 0));
        long size = log("kept", 0).sizeInBytes();

        broker.restart();
        broker.createTopic("later", 1);

        String scrape = broker.broker().metrics().scrape();
        assertThat(gauge(scrape, "cairn_log_size_bytes", "kept", 0)).isEqualTo(size).isPositive();
        assertThat(gauge(scrape, "cairn_log_segments", "later", 0)).isEqualTo(1);
        assertThat(scrape).contains("cairn_log_segments{partition=\"0\",topic=\"__consumer_offsets\"}");
    }

    private Log log(String topic, int partition) {
        return broker.broker().logManager().log(new TopicPartition(topic, partition)).orElseThrow();
    }

    private static void appendTo(Log log) {
        ByteBuffer batch = io.cairn.broker.partition.TestBatches.batch(20, 1_000);
        log.append(batch, 0);
    }

    private static long gauge(String scrape, String name, String topic, int partition) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{partition=\"" + partition + "\",topic=\"" + Pattern.quote(topic)
                + "\"} ([0-9.E]+)$").matcher(scrape);
        assertThat(m.find()).as("%s of %s-%d in:%n%s", name, topic, partition, scrape).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
