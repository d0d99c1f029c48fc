package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void kafkaRules() {
        assertThat(TopicNames.validate("orders.v2_eu-west")).isNull();
        assertThat(TopicNames.validate("a".repeat(249))).isNull();
        assertThat(TopicNames.validate("a".repeat(250))).isEqualTo("topic name has 250 characters, at most 249 are allowed");
        assertThat(TopicNames.validate("")).isEqualTo("topic name is empty");
        assertThat(TopicNames.validate(".")).isEqualTo("topic name cannot be \".\"");
        assertThat(TopicNames.validate("..")).isEqualTo("topic name cannot be \"..\"");
        assertThat(TopicNames.validate("a/b")).isEqualTo(
                "topic name \"a/b\" has character '/' at index 1; allowed are ASCII letters, digits, '.', '_' and '-'");
        assertThat(TopicNames.validate("caf\u00e9")).contains("index 3");
        assertThat(TopicNames.isInternal("__consumer_offsets")).isTrue();
        assertThat(TopicNames.isInternal("_single")).isFalse();
    }

    @Test
    void partitionDirectoriesParse() {
        assertThat(TopicPartitionDir.parse("orders-3")).contains(new TopicPartitionDir("orders", 3));
        assertThat(TopicPartitionDir.parse("my-topic-0")).contains(new TopicPartitionDir("my-topic", 0));
        assertThat(TopicPartitionDir.parse("__consumer_offsets-49")).contains(new TopicPartitionDir("__consumer_offsets", 49));
        assertThat(TopicPartitionDir.parse("orders-03")).isEmpty();
        assertThat(TopicPartitionDir.parse("orders-3.abc-delete")).isEmpty();
        assertThat(TopicPartitionDir.parse("orders-")).isEmpty();
        assertThat(TopicPartitionDir.parse("-3")).isEmpty();
        assertThat(TopicPartitionDir.parse("meta")).isEmpty();
        assertThat(TopicPartitionDir.parse("orders-2147483648")).isEmpty();
        assertThat(TopicPartitionDir.parse("bad topic-1")).isEmpty();
    }

    @Property(tries = 300)
    void dirNameRoundTrips(@ForAll @StringLength(min = 1, max = 40) @CharRange(from = 'a', to = 'z') @Chars({'.', '_', '-'}) String topic,
                           @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int partition) {
        if (!TopicNames.isValid(topic)) {
            return;
        }
        TopicPartitionDir d = new TopicPartitionDir(topic, partition);
        assertThat(TopicPartitionDir.parse(d.dirName())).isEqualTo(Optional.of(d));
    }
}
