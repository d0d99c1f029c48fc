package io.cairn.client.serialization;

import io.cairn.client.Headers;

/**
 * Turns a key or value into the bytes a record carries. Implementations must be thread-safe: the
 * producer calls them from every thread that calls {@code send}.
 *
 * @param <T> the type serialized
 */
@FunctionalInterface
public interface Serializer<T> {
    /**
     * Serializes {@code data} for a record of {@code topic}.
     *
     * @return the bytes, or {@code null} for a null key or value (a null value is a tombstone)
     */
    byte[] serialize(String topic, T data);

    /** Serializes with access to the record's headers (which it may add to); by default ignores them. */
    default byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
    }
}
