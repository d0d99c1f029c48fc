package io.cairn.broker.group.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte sink for encoding one key or value. Not thread-safe; use once. */
final class RecordWriter {

    /** Length prefix of a null string. */
    static final int NULL_STRING_LENGTH = 0xFFFF;
    /** Longest string, in UTF-8 bytes (0xFFFF is the null marker). */
    static final int MAX_STRING_BYTES = 0xFFFE;

    private byte[] bytes = new byte[64];
    private int size;

    RecordWriter putShort(short value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    RecordWriter putByte(byte value) {
        ensure(1);
        bytes[size++] = value;
        return this;
    }

    RecordWriter putInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    RecordWriter putLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** {@code length:u16 utf8[length]}; null is written as length 0xFFFF. */
    RecordWriter putString(String value) {
        if (value == null) {
            return putShort((short) NULL_STRING_LENGTH);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + utf8.length + " UTF-8 bytes exceeds the limit of "
                    + MAX_STRING_BYTES + ": " + value.substring(0, 40) + "...");
        }
        putShort((short) utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size).slice();
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
