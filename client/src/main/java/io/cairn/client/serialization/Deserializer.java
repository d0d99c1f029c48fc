package io.cairn.client.serialization;

import io.cairn.client.Headers;

/**
 * Turns the bytes of a fetched key or value back into an object. Called only from the consumer's
 * thread.
 *
 * @param <T> the type produced
 */
@FunctionalInterface
public interface Deserializer<T> {
    /**
     * Deserializes the bytes of a record of {@code topic}.
     *
     * @param data the bytes, or {@code null} when the record has no key or value
     */
    T deserialize(String topic, byte[] data);

    /** Deserializes with access to the record's headers; by default ignores them. */
    default T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }
}
