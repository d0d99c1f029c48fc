package io.cairn.client.serialization;

import io.cairn.client.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deserializes the 36-character UTF-8 string form of a {@link UUID}. */
public final class UuidDeserializer implements Deserializer<UUID> {
    @Override
    public UUID deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("topic " + topic + ": not a UUID: '" + text + "'", e);
        }
    }
}
