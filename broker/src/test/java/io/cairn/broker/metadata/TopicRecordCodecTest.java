package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.broker.config.TopicOverrides;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TopicRecordCodecTest {

    @Test
    void topicEntryRoundTrips() throws Exception {
        TopicOverrides overrides = TopicOverrides.parse("t", Map.of("retention.ms", "-1", "cleanup.policy", "compact"));
        TopicMetadata t = new TopicMetadata("t", UUID.randomUUID(), 12, overrides, TopicState.DELETING, true);
        byte[] value = TopicRecordCodec.encodeTopic(t);
        assertThat(value).hasSize(TopicRecordCodec.TOPIC_VALUE_LENGTH);
        assertThat(TopicRecordCodec.decode("t", value, TopicRecordCodec.encodeConfigs(overrides.asMap()))).isEqualTo(t);
    }

    @Property(tries = 200)
    void configEntriesRoundTrip(@ForAll Map<String, String> configs) {
        Map<String, String> sorted = new TreeMap<>(configs);
        assertThat(TopicRecordCodec.decodeConfigs("t", TopicRecordCodec.encodeConfigs(sorted))).isEqualTo(sorted);
    }

    @Test
    void corruptEntriesNameTheTopicAndTheProblem() {
        TopicMetadata t = new TopicMetadata("orders", UUID.randomUUID(), 3, TopicOverrides.empty(), TopicState.LIVE, false);
        byte[] value = TopicRecordCodec.encodeTopic(t);
        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", new byte[5], null))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessage("topic registry entry of topic orders is corrupt: entry has 5 bytes, expected 23");
        byte[] badState = value.clone();
        badState[TopicRecordCodec.STATE_OFFSET] = 9;
        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", badState, null)).hasMessageContaining("unknown topic state code 9");
        byte[] badCount = value.clone();
        badCount[TopicRecordCodec.PARTITION_COUNT_OFFSET] = (byte) 0x80;
        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", badCount, null)).hasMessageContaining("partitionCount=-");

        byte[] configs = TopicRecordCodec.encodeConfigs(Map.of("retention.ms", "1000"));
        byte[] hugeCount = configs.clone();
        hugeCount[1] = 0x7f;
        assertThatThrownBy(() -> TopicRecordCodec.decodeConfigs("orders", hugeCount)).hasMessageContaining("config entry count=");
        byte[] truncated = java.util.Arrays.copyOf(configs, configs.length - 2);
        assertThatThrownBy(() -> TopicRecordCodec.decodeConfigs("orders", truncated)).hasMessageContaining("config string length=");
    }

    @Test
    void aStoredConfigThisBrokerRejectsStopsLoadingRatherThanFallingBack() {
        TopicMetadata t = new TopicMetadata("orders", UUID.randomUUID(), 3, TopicOverrides.empty(), TopicState.LIVE, false);
        byte[] configs = TopicRecordCodec.encodeConfigs(Map.of("retention.ms", "forever"));
        assertThatThrownBy(() -> TopicRecordCodec.decode("orders", TopicRecordCodec.encodeTopic(t), configs))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("stored configuration of topic orders is not valid for this broker")
                .hasMessageContaining("retention.ms=forever");
    }
}
