package io.cairn.client.consumer;

import io.cairn.client.Headers;
import io.cairn.client.TopicPartition;
import io.cairn.protocol.record.TimestampType;

/**
 * One record returned by {@code poll}: where it is stored, its timestamp, key, value and headers.
 * Immutable (the headers are read-only).
 *
 * @param <K> key type
 * @param <V> value type
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset
 * @param timestamp the record's timestamp in epoch ms
 * @param timestampType whether the timestamp is the producer's create time or the broker's append time
 * @param key the deserialized key, may be null
 * @param value the deserialized value, may be null
 * @param headers the headers, read-only
 * @param serializedKeySize bytes of the key, -1 when null
 * @param serializedValueSize bytes of the value, -1 when null
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp, TimestampType timestampType,
                                   K key, V value, Headers headers, int serializedKeySize, int serializedValueSize) {
    /** The record's partition. */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
