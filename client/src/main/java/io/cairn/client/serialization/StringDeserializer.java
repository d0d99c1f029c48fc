package io.cairn.client.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Deserializes strings in a charset, UTF-8 unless told otherwise. */
public final class StringDeserializer implements Deserializer<String> {
    private final Charset charset;

    /** A UTF-8 deserializer. */
    public StringDeserializer() {
        this(StandardCharsets.UTF_8);
    }

    /** A deserializer in {@code charset}. */
    public StringDeserializer(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, charset);
    }
}
