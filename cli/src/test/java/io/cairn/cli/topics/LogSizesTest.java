package io.cairn.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.metrics.BrokerMetrics;
import io.cairn.client.TopicPartition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSizesTest {

    @Test
    void readsSizesAndSegmentsFromTheBrokersOwnExposition() {
        BrokerMetrics metrics = BrokerMetrics.over(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics.registerPartition("orders", 0, () -> 4096L, () -> 1);
        metrics.registerPartition("orders", 11, () -> 3L * 1024 * 1024 * 1024, () -> 4);
        metrics.registerPartition("a.b-c_d", 2, () -> 0L, () -> 1);

        LogSizes sizes = LogSizes.parse(metrics.scrape());

        assertThat(sizes.sizeOf(new TopicPartition("orders", 0))).isEqualTo(4096L);
        assertThat(sizes.segmentsOf(new TopicPartition("orders", 0))).isEqualTo(1L);
        assertThat(sizes.sizeOf(new TopicPartition("orders", 11))).isEqualTo(3L * 1024 * 1024 * 1024);
        assertThat(sizes.segmentsOf(new TopicPartition("orders", 11))).isEqualTo(4L);
        assertThat(sizes.sizeOf(new TopicPartition("a.b-c_d", 2))).isZero();
        assertThat(sizes.sizeOf(new TopicPartition("orders", 1))).isNull();
    }

    @Test
    void labelsMayBeInAnyOrderAndEscaped() {
        LogSizes sizes = LogSizes.parse("""
                # HELP cairn_log_size_bytes Size of the partition log
                # TYPE cairn_log_size_bytes gauge
                cairn_log_size_bytes{partition="3",topic="we\\"ird"} 1.5E3
                cairn_log_segments{topic="we\\"ird",partition="3",} 2.0
                cairn_log_size_bytes_other{partition="3",topic="x"} 9
                cairn_log_segments{topic="broken"} 1
                """);

        assertThat(sizes.sizeOf(new TopicPartition("we\"ird", 3))).isEqualTo(1500L);
        assertThat(sizes.segmentsOf(new TopicPartition("we\"ird", 3))).isEqualTo(2L);
        assertThat(sizes.sizeBytes()).hasSize(1);
        assertThat(LogSizes.labels("a=\"x\\ny\",b=\"\"")).isEqualTo(Map.of("a", "x\ny", "b", ""));
    }
}
