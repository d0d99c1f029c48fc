package io.cairn.client.serialization;

/** Serializes a {@code Long} as 8 big-endian bytes, like Kafka's {@code LongSerializer}. Thread-safe. */
public final class LongSerializer implements Serializer<Long> {
    @Override
    public byte[] serialize(String topic, Long data) {
        if (data == null) {
            return null;
        }
        long v = data;
        byte[] out = new byte[Long.BYTES];
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }
}
