package io.cairn.broker.metadata;

import io.cairn.broker.config.ConfigException;
import io.cairn.broker.config.TopicOverrides;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Layout of the topic registry's entries in the metadata store. Stateless.
 *
 * <pre>
 * keyspace TOPICS, key = topic name (UTF-8), value:
 *   0        1       2       3                          19                 23
 *   +--------+-------+-------+--------------------------+------------------+
 *   | version| state | flags | topicId: msb i64, lsb i64| partitionCount   |
 *   |   u8   |  u8   |  u8   |                          |      i32         |
 *   +--------+-------+-------+--------------------------+------------------+
 *   flags bit 0: partitions pending (CreatePartitions in progress)
 *
 * keyspace CONFIGS, key = "topic/" + topic name (UTF-8), value:
 *   version:u8  count:i32  count x ( keyLength:u16 key:UTF-8  valueLength:i32 value:UTF-8 )
 * </pre>
 * The two are written in one atomic batch. Big-endian throughout.
 */
final class TopicRecordCodec {

    static final byte VERSION = 1;

    static final int VERSION_OFFSET = 0;
    static final int STATE_OFFSET = VERSION_OFFSET + 1;
    static final int FLAGS_OFFSET = STATE_OFFSET + 1;
    static final int TOPIC_ID_OFFSET = FLAGS_OFFSET + 1;
    static final int PARTITION_COUNT_OFFSET = TOPIC_ID_OFFSET + 16;
    static final int TOPIC_VALUE_LENGTH = PARTITION_COUNT_OFFSET + 4;

    static final byte FLAG_PARTITIONS_PENDING = 1;

    static final String CONFIG_KEY_PREFIX = "topic/";

    private TopicRecordCodec() {
    }

    static byte[] topicKey(String topic) {
        return topic.getBytes(StandardCharsets.UTF_8);
    }

    static String topicName(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    static byte[] configKey(String topic) {
        return (CONFIG_KEY_PREFIX + topic).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encodeTopic(TopicMetadata t) {
        ByteBuffer b = ByteBuffer.allocate(TOPIC_VALUE_LENGTH);
        b.put(VERSION_OFFSET, VERSION);
        b.put(STATE_OFFSET, t.state().code());
        b.put(FLAGS_OFFSET, t.partitionsPending() ? FLAG_PARTITIONS_PENDING : 0);
        b.putLong(TOPIC_ID_OFFSET, t.topicId().getMostSignificantBits());
        b.putLong(TOPIC_ID_OFFSET + 8, t.topicId().getLeastSignificantBits());
        b.putInt(PARTITION_COUNT_OFFSET, t.partitionCount());
        return b.array();
    }

    /** Decodes a TOPICS entry; {@code configs} is the CONFIGS entry or {@code null}. */
    static TopicMetadata decode(String topic, byte[] value, byte[] configs) {
        if (value.length != TOPIC_VALUE_LENGTH) {
            throw corrupt(topic, "entry has " + value.length + " bytes, expected " + TOPIC_VALUE_LENGTH);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (b.get(VERSION_OFFSET) != VERSION) {
            throw corrupt(topic, "entry version=" + b.get(VERSION_OFFSET) + ", expected " + VERSION);
        }
        TopicState state;
        try {
            state = TopicState.ofCode(b.get(STATE_OFFSET));
        } catch (IllegalArgumentException e) {
            throw corrupt(topic, e.getMessage());
        }
        boolean pending = (b.get(FLAGS_OFFSET) & FLAG_PARTITIONS_PENDING) != 0;
        UUID id = new UUID(b.getLong(TOPIC_ID_OFFSET), b.getLong(TOPIC_ID_OFFSET + 8));
        int partitions = b.getInt(PARTITION_COUNT_OFFSET);
        if (partitions < 1) {
            throw corrupt(topic, "partitionCount=" + partitions);
        }
        TopicOverrides overrides;
        try {
            overrides = configs == null ? TopicOverrides.empty() : TopicOverrides.parse(topic, decodeConfigs(topic, configs));
        } catch (ConfigException e) {
            // A stored override this version does not accept: refusing to start is safer than
            // silently falling back to a default (a lost retention.ms=-1 would delete data).
            throw new MetadataStoreException("stored configuration of topic " + topic + " is not valid for this broker: "
                    + e.getMessage(), e);
        }
        return new TopicMetadata(topic, id, partitions, overrides, state, pending);
    }

    static byte[] encodeConfigs(Map<String, String> configs) {
        int size = 1 + 4;
        for (Map.Entry<String, String> e : configs.entrySet()) {
            size += 2 + utf8Length(e.getKey()) + 4 + utf8Length(e.getValue());
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putInt(configs.size());
        for (Map.Entry<String, String> e : configs.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (k.length > 0xFFFF) {
                throw new IllegalArgumentException("config key of " + k.length + " bytes, at most 65535");
            }
            b.putShort((short) k.length).put(k).putInt(v.length).put(v);
        }
        return b.array();
    }

    static Map<String, String> decodeConfigs(String topic, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        try {
            byte version = b.get();
            if (version != VERSION) {
                throw corrupt(topic, "config entry version=" + version + ", expected " + VERSION);
            }
            int count = b.getInt();
            // Each entry takes at least 6 bytes: refuse counts the value cannot hold before looping.
            if (count < 0 || count > b.remaining() / 6) {
                throw corrupt(topic, "config entry count=" + count + " with " + b.remaining() + " bytes left");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String k = string(b, Short.toUnsignedInt(b.getShort()), topic);
                String v = string(b, b.getInt(), topic);
                out.put(k, v);
            }
            if (b.hasRemaining()) {
                throw corrupt(topic, "config entry has " + b.remaining() + " trailing bytes");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw corrupt(topic, "config entry truncated at position " + b.position() + " of " + value.length);
        }
    }

    private static String string(ByteBuffer b, int length, String topic) {
        if (length < 0 || length > b.remaining()) {
            throw corrupt(topic, "config string length=" + length + " at position " + b.position()
                    + " with " + b.remaining() + " bytes left");
        }
        String s = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static MetadataStoreException corrupt(String topic, String what) {
        return new MetadataStoreException("topic registry entry of topic " + topic + " is corrupt: " + what);
    }
}
