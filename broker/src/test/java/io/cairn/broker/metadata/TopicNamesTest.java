package io.cairn.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

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
}
