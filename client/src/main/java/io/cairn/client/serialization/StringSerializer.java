package io.cairn.client.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Serializes strings in a charset, UTF-8 unless told otherwise. Thread-safe. */
public final class StringSerializer implements Serializer<String> {
    private final Charset charset;

    /** A UTF-8 serializer. */
    public StringSerializer() {
        this(StandardCharsets.UTF_8);
    }

    /** A serializer in {@code charset}. */
    public StringSerializer(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(charset);
    }
}
