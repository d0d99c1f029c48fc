package io.cairn.protocol.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable record header to write: a non-null UTF-8 key and a nullable value. The key's
 * UTF-8 bytes are encoded once, here, so appending the header to a batch does not allocate.
 * The value array is not copied: do not change it after handing it over.
 */
public final class Header {
    private final String key;
    private final byte[] keyBytes;
    private final byte[] value;

    /** A header with {@code key} (not null) and {@code value} (null allowed). */
    public Header(String key, byte[] value) {
        this.key = Objects.requireNonNull(key, "header key");
        this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
        this.value = value;
    }

    /** The key. */
    public String key() {
        return key;
    }

    /** The value (shared, not copied), or null. */
    public byte[] value() {
        return value;
    }

    /** The key's UTF-8 bytes (shared, do not modify). */
    byte[] keyBytes() {
        return keyBytes;
    }

    /** Encoded size in a record: key length varint, key, value length varint, value. */
    int sizeInBytes() {
        int valueLength = value == null ? -1 : value.length;
        return ByteUtils.sizeOfVarint(keyBytes.length) + keyBytes.length
                + ByteUtils.sizeOfVarint(valueLength) + Math.max(0, valueLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + "=" + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
