package io.cairn.broker.group.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian reader over one key or value. Every length read from the bytes is
 * checked against what remains before anything is allocated; a violation is a
 * {@link GroupRecordFormatException} naming what was read and where. Not thread-safe.
 */
final class RecordReader {

    private final ByteBuffer buffer;
    private final int start;
    private final String what;

    /** @param what names the bytes in error messages, e.g. "key" or "value of key type=8" */
    RecordReader(ByteBuffer buffer, String what) {
        this.buffer = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.start = this.buffer.position();
        this.what = what;
    }

    short getShort(String field) {
        require(2, field);
        return buffer.getShort();
    }

    byte getByte(String field) {
        require(1, field);
        return buffer.get();
    }

    int getInt(String field) {
        require(4, field);
        return buffer.getInt();
    }

    long getLong(String field) {
        require(8, field);
        return buffer.getLong();
    }

    /** A non-null string. */
    String getString(String field) {
        String value = getNullableString(field);
        if (value == null) {
            throw corrupt(field + " is null");
        }
        return value;
    }

    String getNullableString(String field) {
        int length = Short.toUnsignedInt(getShort(field + " length"));
        if (length == RecordWriter.NULL_STRING_LENGTH) {
            return null;
        }
        require(length, field);
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** A count of items of at least {@code minItemBytes} each, checked against the bytes left. */
    int getCount(String field, int minItemBytes) {
        int count = getInt(field);
        if (count < 0 || (long) count * minItemBytes > buffer.remaining()) {
            throw corrupt(field + "=" + count + " with " + buffer.remaining() + " bytes left");
        }
        return count;
    }

    void requireFullyRead() {
        if (buffer.hasRemaining()) {
            throw corrupt(buffer.remaining() + " unexpected trailing bytes");
        }
    }

    GroupRecordFormatException corrupt(String problem) {
        return new GroupRecordFormatException(what + " at position=" + (buffer.position() - start) + ": " + problem);
    }

    private void require(int bytes, String field) {
        if (buffer.remaining() < bytes) {
            throw corrupt("truncated reading " + field + ": needs " + bytes + " bytes, " + buffer.remaining() + " left");
        }
    }
}
