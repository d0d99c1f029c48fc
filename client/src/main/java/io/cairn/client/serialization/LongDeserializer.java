package io.cairn.client.serialization;

import io.cairn.client.errors.SerializationException;

/** Deserializes 8 big-endian bytes into a {@code Long}; any other length is an error. */
public final class LongDeserializer implements Deserializer<Long> {
    @Override
    public Long deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length != Long.BYTES) {
            throw new SerializationException("topic " + topic + ": a long needs " + Long.BYTES
                    + " bytes, got " + data.length);
        }
        long v = 0;
        for (byte b : data) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
