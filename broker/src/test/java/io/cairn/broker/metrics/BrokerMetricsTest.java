package io.cairn.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    private final BrokerMetrics metrics = BrokerMetrics.prometheus();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void trafficAndRequestsAppearUnderCairnNames() {
        metrics.recordIn("orders", 1000, 10);
        metrics.topic("orders").recordIn(24, 1);
        metrics.recordOut("orders", 512, 4);
        metrics.recordRequest("Produce", 2_000_000);
        metrics.recordRequest("Produce", 4_000_000);
        metrics.recordRequestError("Produce");
        metrics.recordFlush(1_500_000);
        metrics.recordForce(3, 1800, 5_000_000);
        metrics.recordForce(1, 600, 4_000_000);

        String text = metrics.scrape();
        assertThat(text)
                .contains("cairn_bytes_in_total{topic=\"orders\"} 1024.0")
                .contains("cairn_records_in_total{topic=\"orders\"} 11.0")
                .contains("cairn_bytes_out_total{topic=\"orders\"} 512.0")
                .contains("cairn_records_out_total{topic=\"orders\"} 4.0")
                .contains("cairn_requests_total{api=\"Produce\"} 2.0")
                .contains("cairn_request_errors_total{api=\"Produce\"} 1.0")
                .contains("cairn_request_latency_seconds_count{api=\"Produce\"} 2")
                .contains("cairn_request_latency_seconds{api=\"Produce\",quantile=\"0.5\"}")
                .contains("cairn_request_latency_seconds{api=\"Produce\",quantile=\"0.95\"}")
                .contains("cairn_request_latency_seconds{api=\"Produce\",quantile=\"0.99\"}")
                .contains("cairn_log_flush_latency_seconds_count 1")
                .contains("cairn_log_flush_latency_seconds{quantile=\"0.99\"}")
                .contains("cairn_log_flush_batches_per_force_count 2")
                .contains("cairn_log_flush_batches_per_force_sum 4.0")
                .contains("cairn_log_flush_records_per_force_sum 2400.0")
                .contains("cairn_log_force_latency_seconds_count 2")
                .contains("cairn_log_force_latency_seconds{quantile=\"0.5\"}")
                .contains("cairn_connections_open 0.0");
    }

    @Test
    void jvmMetricsAreBound() {
        assertThat(metrics.scrape())
                .contains("jvm_memory_used_bytes")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("jvm_classes_loaded_classes")
                .contains("system_cpu_count")
                .contains("process_uptime_seconds")
                .contains("process_files_open_files");
    }

    @Test
    void gaugesReadTheirSuppliersAtScrapeTime() {
        AtomicLong size = new AtomicLong(4096);
        AtomicInteger waiting = new AtomicInteger(3);
        MeterRegistration partition = metrics.registerPartition("orders", 2, size::get, () -> 5);
        metrics.bindPurgatory("fetch", waiting::get);
        metrics.bindPartitionCount(() -> 7);
        MeterRegistration lag = metrics.registerConsumerLag("billing", "orders", 2, () -> 42);
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();

        size.set(8192);
        waiting.set(1);
        String text = metrics.scrape();
        assertThat(text)
                .contains("cairn_log_size_bytes{partition=\"2\",topic=\"orders\"} 8192.0")
                .contains("cairn_log_segments{partition=\"2\",topic=\"orders\"} 5.0")
                .contains("cairn_purgatory_waiting{purgatory=\"fetch\"} 1.0")
                .contains("cairn_partitions 7.0")
                .contains("cairn_consumer_lag{group=\"billing\",partition=\"2\",topic=\"orders\"} 42.0")
                .contains("cairn_connections_open 1.0")
                .contains("cairn_connections_accepted_total 2.0");
        assertThat(metrics.openConnections()).isEqualTo(1);

        partition.close();
        lag.close();
        lag.close();
        assertThat(metrics.scrape()).doesNotContain("cairn_log_size_bytes{").doesNotContain("cairn_consumer_lag{");
    }

    @Test
    void metersPerTopicAndApiAreCreatedOnceAndCached() {
        TopicMeters t = metrics.topic("orders");
        assertThat(metrics.topic(new String("orders".toCharArray()))).isSameAs(t);
        ApiMeters a = metrics.api("Fetch");
        assertThat(metrics.api("Fetch")).isSameAs(a);
        assertThat(metrics.registry().find(BrokerMetrics.BYTES_IN).counters()).hasSize(1);

        metrics.removeTopic("orders");
        assertThat(metrics.registry().find(BrokerMetrics.BYTES_IN).counters()).isEmpty();
        assertThat(metrics.topic("orders")).isNotSameAs(t);
    }

    @Test
    void hotPathRecordingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        TopicMeters held = metrics.topic("orders");
        metrics.api("Produce");
        Runnable calls = () -> {
            metrics.recordIn("orders", 100, 1);
            metrics.recordOut("orders", 100, 1);
            held.recordIn(100, 1);
            metrics.recordRequest("Produce", 1_000_000);
            metrics.recordFlush(1_000);
            metrics.recordForce(2, 100, 1_000);
            metrics.connectionOpened();
            metrics.connectionClosed();
        };
        for (int i = 0; i < 50_000; i++) {
            calls.run();
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            calls.run();
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // 100,000 rounds of eight calls: a single allocation per call would be several MB.
        assertThat(allocated).as("bytes allocated by 800,000 hot-path calls").isLessThan(64 * 1024);
    }
}
