package io.cairn.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.storage.CleanupPolicy;
import io.cairn.storage.LogConfig;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LogConfigConversionTest {

    @Test
    void registryDefaultsAreStorageDefaults() {
        assertThat(BrokerConfig.defaults().topicDefaults().toLogConfig()).isEqualTo(LogConfig.defaults());
    }

    @Test
    void everyKeyReachesItsLogConfigComponent() throws Exception {
        TopicConfig c = TopicConfig.resolve("t", Map.ofEntries(
                Map.entry("segment.bytes", "64MiB"), Map.entry("segment.ms", "1h"), Map.entry("segment.index.bytes", "1MiB"),
                Map.entry("index.interval.bytes", "8KiB"), Map.entry("retention.ms", "-1"), Map.entry("retention.bytes", "5GiB"),
                Map.entry("cleanup.policy", "delete,compact"), Map.entry("delete.retention.ms", "2h"),
                Map.entry("min.compaction.lag.ms", "5m"), Map.entry("min.cleanable.dirty.ratio", "0.1"),
                Map.entry("flush.messages", "100"), Map.entry("flush.ms", "2s"), Map.entry("max.message.bytes", "4MiB"),
                Map.entry("file.delete.delay.ms", "0")), BrokerConfig.defaults());
        assertThat(c.toLogConfig()).isEqualTo(new LogConfig(64 << 20, 3_600_000L, 1 << 20, 8192, -1L, 5L << 30,
                CleanupPolicy.COMPACT_DELETE, 7_200_000L, 300_000L, 0.1, 100L, 2_000L, 4 << 20, 0L));
    }

    @Property(tries = 200)
    void everyConfigTheRegistryAcceptsStorageAcceptsToo(@ForAll("overrides") Map<String, String> overrides) throws Exception {
        TopicConfig c = TopicConfig.resolve("t", overrides, BrokerConfig.defaults());
        LogConfig lc = c.toLogConfig();
        assertThat(lc.segmentBytes()).isEqualTo(c.segmentBytes());
        assertThat(lc.segmentIndexBytes()).isEqualTo(c.segmentIndexBytes());
    }

    @Provide
    Arbitrary<Map<String, String>> overrides() {
        Arbitrary<String> segmentBytes = Arbitraries.longs().between(1024, Integer.MAX_VALUE).map(String::valueOf);
        Arbitrary<String> indexBytes = Arbitraries.longs().between(LogConfig.MIN_SEGMENT_INDEX_BYTES, Integer.MAX_VALUE).map(String::valueOf);
        Arbitrary<String> interval = Arbitraries.longs().between(0, Integer.MAX_VALUE).map(String::valueOf);
        Arbitrary<String> ratio = Arbitraries.doubles().between(0, 1).map(String::valueOf);
        Arbitrary<String> flushMessages = Arbitraries.longs().between(1, Long.MAX_VALUE).map(String::valueOf);
        Arbitrary<String> retention = Arbitraries.longs().between(-1, Long.MAX_VALUE).map(String::valueOf);
        Arbitrary<String> policy = Arbitraries.of("delete", "compact", "compact,delete", "delete,compact");
        return Combinators.combine(segmentBytes, indexBytes, interval, ratio, flushMessages, retention, policy)
                .as((s, i, iv, r, f, ret, pol) -> Map.of("segment.bytes", s, "segment.index.bytes", i,
                        "index.interval.bytes", iv, "min.cleanable.dirty.ratio", r, "flush.messages", f,
                        "retention.ms", ret, "cleanup.policy", pol));
    }
}
