package io.cairn.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.storage.CleanupPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicConfigTest {

    @Test
    void overrideWinsElseBrokerDefaultElseDeclaredDefault() throws Exception {
        BrokerConfig broker = BrokerConfig.of(Map.of("log.segment.bytes", "256MiB", "log.roll.ms", "1h"));
        TopicConfig c = TopicConfig.resolve("orders", Map.of("segment.bytes", "16MiB", "cleanup.policy", "compact"), broker);
        assertThat(c.segmentBytes()).isEqualTo(16 << 20);
        assertThat(c.segmentMs()).isEqualTo(3_600_000L);
        assertThat(c.retentionMs()).isEqualTo(604_800_000L);
        assertThat(c.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
        assertThat(c.cleanupPolicy().compacts()).isTrue();
        assertThat(c.cleanupPolicy().deletes()).isFalse();
        assertThat(c.messageTimestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(c.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.maxMessageBytes()).isEqualTo(1_048_588);
        assertThat(c.segmentIndexBytes()).isEqualTo(10 << 20);
        assertThat(c.indexIntervalBytes()).isEqualTo(4096);
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(c.fileDeleteDelayMs()).isEqualTo(60_000L);
        assertThat(c.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(c.minCompactionLagMs()).isZero();
        assertThat(c.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.retentionBytes()).isEqualTo(-1L);
    }

    @Test
    void entriesNameTheSourceOfEachValue() throws Exception {
        BrokerConfig broker = BrokerConfig.of(Map.of("log.roll.ms", "1h"));
        TopicConfig c = TopicConfig.resolve("orders", Map.of("retention.ms", "1d"), broker);
        assertThat(c.entries("orders")).hasSize(TopicConfigKeys.DEF.keys().size())
                .contains(new ConfigEntry("retention.ms", "86400000", ConfigSource.topic("orders")))
                .contains(new ConfigEntry("segment.ms", "3600000", ConfigSource.SET))
                .contains(new ConfigEntry("segment.bytes", "1073741824", ConfigSource.DEFAULT));
    }

    @Test
    void badOverridesNameKeyValueAndAllowedRange() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TopicOverrides.parse("orders", Map.of(
                "retention.ms", "-5", "segment.bytes", "12", "cleanup.policy", "shred",
                "retention.msec", "1", "log.segment.bytes", "1GiB")));
        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage())
                .contains("retention.ms=-5 (config of topic orders): out of range [-1, ...]")
                .contains("segment.bytes=12 (config of topic orders): out of range [1024, 2147483647]")
                .contains("cleanup.policy=shred (config of topic orders): unknown item(s) shred; expected a non-empty list of delete, compact")
                .contains("retention.msec=1 (config of topic orders): unknown topic config; did you mean retention.ms?")
                .contains("log.segment.bytes=1GiB (config of topic orders): unknown topic config; "
                        + "log.segment.bytes is the broker default, the topic config is segment.bytes");
    }

    @Test
    void overridesAreStoredInCanonicalForm() throws Exception {
        TopicOverrides o = TopicOverrides.parse("t", Map.of("retention.ms", "2d", "message.timestamp.type", "logappendtime",
                "cleanup.policy", "delete , compact"));
        assertThat(o.asMap()).containsExactly(
                Map.entry("cleanup.policy", "delete,compact"),
                Map.entry("message.timestamp.type", "LogAppendTime"),
                Map.entry("retention.ms", "172800000"));
        assertThat(TopicOverrides.parse("t", o.asMap())).isEqualTo(o);
        assertThat(TopicConfig.resolve(o, BrokerConfig.defaults()).messageTimestampType())
                .isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(TopicConfig.resolve(o, BrokerConfig.defaults()).cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);
    }

    @Test
    void brokerDefaultsShareTypeAndRangeWithTheirTopicKeys() {
        for (ConfigKey<?> topicKey : TopicConfigKeys.DEF.keys()) {
            ConfigKey<?> brokerKey = BrokerConfigKeys.DEF.key(topicKey.brokerSynonym()).orElseThrow();
            assertThat(brokerKey.type()).isEqualTo(topicKey.type());
            assertThat(brokerKey.defaultValue()).isEqualTo(topicKey.defaultValue());
            assertThat(brokerKey.constraint().describe()).isEqualTo(topicKey.constraint().describe());
        }
    }
}
