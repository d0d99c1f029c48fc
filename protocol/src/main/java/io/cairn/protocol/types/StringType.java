package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * {@code str}: u16 byte length, then UTF-8; length 0xFFFF is null. Malformed UTF-8 decodes with
 * replacement characters (as Kafka does); names are validated by whoever uses them. Immutable.
 */
final class StringType extends Type {
    static final int NULL_LENGTH = 0xFFFF;
    static final int MAX_LENGTH = 0xFFFE;

    private final boolean nullable;

    StringType(boolean nullable) {
        this.nullable = nullable;
    }

    @Override
    public String name() {
        return nullable ? "str?" : "str";
    }

    @Override
    public String description() {
        return nullable
                ? "Like str, but length 0xFFFF stands for null."
                : "uint16 byte length N (at most 65534), then N bytes of UTF-8.";
    }

    @Override
    public int minSize(int version) {
        return 2;
    }

    @Override
    public boolean isNullable() {
        return nullable;
    }

    @Override
    public boolean accepts(java.lang.reflect.Type javaType) {
        return javaType == String.class;
    }

    @Override
    public Object defaultValue() {
        return nullable ? null : "";
    }

    @Override
    public void write(MessageWriter out, Object value, int version) {
        ByteBuf buf = out.buf();
        if (value == null) {
            if (!nullable) {
                throw nullNotAllowed(this);
            }
            buf.writeShort(NULL_LENGTH);
            return;
        }
        String s = (String) value;
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > MAX_LENGTH) {
            throw new EncodeException("string of " + length + " UTF-8 bytes exceeds the limit of " + MAX_LENGTH);
        }
        buf.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(buf, s, length);
    }

    @Override
    public Object read(ByteBuf in, int version) {
        need(in, 2, this);
        int length = in.readUnsignedShort();
        if (length == NULL_LENGTH) {
            if (!nullable) {
                throw new DecodeException(DecodeError.NULL_NOT_ALLOWED, "null (length 0xFFFF) for non-nullable str");
            }
            return null;
        }
        checkLength(in, length, this);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }
}
