package io.cairn.broker.group;

import io.cairn.broker.group.runtime.InMemoryGroupLog;
import io.cairn.broker.metrics.BrokerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class GroupLagMetricsTest {

    private final BrokerMetrics metrics = BrokerMetrics.over(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    private final Map<TopicPartition, Long> ends = new java.util.concurrent.ConcurrentHashMap<>();
    private final GroupLagMetrics lag = new GroupLagMetrics(metrics, tp -> ends.getOrDefault(tp, -1L));

    @AfterEach
    void close() {
        lag.close();
        metrics.close();
    }

    @Test
    void gaugesFollowCommittedOffsetsAndEndOffsets() {
        TopicPartition orders0 = new TopicPartition("orders", 0);
        ends.put(orders0, 100L);
        lag.update(Map.of("billing", Map.of(orders0, 60L, new TopicPartition("gone", 0), 5L)));
        assertThat(metrics.scrape())
                .contains("cairn_consumer_lag{group=\"billing\",partition=\"0\",topic=\"orders\"} 40.0")
                .contains("cairn_consumer_lag{group=\"billing\",partition=\"0\",topic=\"gone\"} -1.0");

        ends.put(orders0, 130L);
        lag.update(Map.of("billing", Map.of(orders0, 125L)));
        assertThat(metrics.scrape())
                .contains("cairn_consumer_lag{group=\"billing\",partition=\"0\",topic=\"orders\"} 5.0")
                .doesNotContain("topic=\"gone\"");
        assertThat(lag.size()).isEqualTo(1);

        lag.update(Map.of());
        assertThat(metrics.scrape()).doesNotContain("cairn_consumer_lag{");
    }

    @Test
    void refreshReadsTheCoordinator() throws Exception {
        try (GroupCoordinator coordinator = new GroupCoordinator(GroupCoordinatorConfig.defaults().withOffsetsTopicPartitions(3),
                new InMemoryGroupLog.Factory(), System::currentTimeMillis)) {
            coordinator.start(Map.of("orders", 2)).get(10, TimeUnit.SECONDS);
            coordinator.commitOffsets(OffsetCommitRequest.admin("billing", List.of(PartitionOffset.of("orders", 1, 7))))
                    .get(10, TimeUnit.SECONDS);
            ends.put(new TopicPartition("orders", 1), 10L);
            lag.refresh(coordinator).get(10, TimeUnit.SECONDS);
            assertThat(metrics.scrape())
                    .contains("cairn_consumer_lag{group=\"billing\",partition=\"1\",topic=\"orders\"} 3.0");
        }
    }
}
