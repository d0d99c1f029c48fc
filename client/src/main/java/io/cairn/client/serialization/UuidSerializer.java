package io.cairn.client.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Serializes a {@link UUID} as its 36-character string form in UTF-8, the encoding Kafka's
 * {@code UUIDSerializer} uses, so both sides of a migration read the same bytes. Thread-safe.
 */
public final class UuidSerializer implements Serializer<UUID> {
    @Override
    public byte[] serialize(String topic, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
