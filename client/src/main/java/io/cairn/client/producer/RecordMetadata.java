package io.cairn.client.producer;

import io.cairn.client.TopicPartition;

/**
 * Where an acknowledged record was stored.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset, or -1 when {@code acks=0} (the broker does not answer)
 * @param timestamp the record's timestamp: its create time, or the broker's append time when the topic
 *                  uses log-append time
 * @param serializedKeySize bytes of the serialized key, -1 for a null key
 * @param serializedValueSize bytes of the serialized value, -1 for a null value
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp,
                             int serializedKeySize, int serializedValueSize) {
    /** The record's partition. */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** Whether the offset is known (it is not with {@code acks=0}). */
    public boolean hasOffset() {
        return offset >= 0;
    }
}
