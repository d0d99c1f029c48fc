package io.cairn.client.serialization;

import java.util.UUID;

/** Factory methods for the built-in serializers and deserializers. */
public final class Serdes {
    private Serdes() {
    }

    /** UTF-8 string serializer. */
    public static Serializer<String> stringSerializer() {
        return new StringSerializer();
    }

    /** UTF-8 string deserializer. */
    public static Deserializer<String> stringDeserializer() {
        return new StringDeserializer();
    }

    /** Pass-through byte array serializer. */
    public static Serializer<byte[]> bytesSerializer() {
        return new ByteArraySerializer();
    }

    /** Pass-through byte array deserializer. */
    public static Deserializer<byte[]> bytesDeserializer() {
        return new ByteArrayDeserializer();
    }

    /** 8-byte big-endian long serializer. */
    public static Serializer<Long> longSerializer() {
        return new LongSerializer();
    }

    /** 8-byte big-endian long deserializer. */
    public static Deserializer<Long> longDeserializer() {
        return new LongDeserializer();
    }

    /** UUID serializer (36-character string form). */
    public static Serializer<UUID> uuidSerializer() {
        return new UuidSerializer();
    }

    /** UUID deserializer (36-character string form). */
    public static Deserializer<UUID> uuidDeserializer() {
        return new UuidDeserializer();
    }
}
