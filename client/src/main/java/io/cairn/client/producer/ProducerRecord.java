package io.cairn.client.producer;

import io.cairn.client.Headers;
import java.util.Objects;

/**
 * A record to send: topic, optional partition (else the partitioner chooses), optional key, value,
 * optional timestamp (else the send time) and headers. The headers become read-only once sent.
 *
 * @param <K> key type
 * @param <V> value type
 * @param topic the topic
 * @param partition the partition, or null to let the partitioner choose
 * @param timestamp the record's timestamp in epoch ms, or null for the time of send()
 * @param key the key, may be null
 * @param value the value, may be null (a tombstone on compacted topics)
 * @param headers the headers, never null
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestamp, K key, V value, Headers headers) {
    /** Checks the topic is present and the partition and timestamp, when given, not negative. */
    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0 for topic " + topic + ": " + partition);
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0 for topic " + topic + ": " + timestamp);
        }
        headers = headers == null ? new Headers() : headers;
    }

    /** A record with a key and value, partitioned by key. */
    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    /** A record with only a value, on the sticky partition. */
    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    /** A record for an explicit partition. */
    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }
}
