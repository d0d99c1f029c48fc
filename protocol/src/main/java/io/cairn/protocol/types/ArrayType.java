package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [T]}: i32 element count N, then N elements; -1 is null (only for a nullable array).
 * Before allocating, the count is checked against the bytes that remain: N elements of at least
 * {@code minSize} bytes each must fit. Java values are {@link List}s. Immutable.
 */
final class ArrayType extends Type {
    private final Type element;
    private final boolean nullable;

    ArrayType(Type element, boolean nullable) {
        this.element = element;
        this.nullable = nullable;
    }

    @Override
    public Type elementType() {
        return element;
    }

    @Override
    public String name() {
        return "[" + element.name() + "]" + (nullable ? "?" : "");
    }

    @Override
    public String description() {
        return nullable
                ? "Like [T], but count -1 stands for null."
                : "int32 element count N, then N elements of type T.";
    }

    @Override
    public int minSize(int version) {
        return 4;
    }

    @Override
    public boolean isNullable() {
        return nullable;
    }

    @Override
    public boolean holdsReferences() {
        return element.holdsReferences();
    }

    @Override
    public Schema<?> structSchema() {
        return element.structSchema();
    }

    @Override
    public boolean accepts(java.lang.reflect.Type javaType) {
        return javaType instanceof ParameterizedType p
                && p.getRawType() == List.class
                && element.accepts(p.getActualTypeArguments()[0]);
    }

    @Override
    public Object defaultValue() {
        return nullable ? null : List.of();
    }

    @Override
    public void write(MessageWriter out, Object value, int version) {
        if (value == null) {
            if (!nullable) {
                throw nullNotAllowed(this);
            }
            out.buf().writeInt(-1);
            return;
        }
        List<?> list = (List<?>) value;
        out.buf().writeInt(list.size());
        int i = 0;
        for (Object item : list) {
            try {
                element.write(out, item, version);
            } catch (EncodeException e) {
                throw e.atIndex(i);
            }
            i++;
        }
    }

    @Override
    public Object read(ByteBuf in, int version) {
        need(in, 4, this);
        int count = in.readInt();
        if (count == -1) {
            if (!nullable) {
                throw new DecodeException(DecodeError.NULL_NOT_ALLOWED, "null (count -1) for non-nullable array");
            }
            return null;
        }
        if (count < 0) {
            throw new DecodeException(DecodeError.NEGATIVE_LENGTH, "array count " + count + " is negative");
        }
        long atLeast = (long) count * element.minSize(version);
        if (atLeast > in.readableBytes()) {
            throw new DecodeException(DecodeError.LENGTH_EXCEEDS_REMAINING, "array count " + count + " needs at least "
                    + atLeast + " bytes, " + in.readableBytes() + " remaining");
        }
        List<Object> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                list.add(element.read(in, version));
            } catch (DecodeException e) {
                release(list);
                throw e.atIndex(i);
            }
        }
        return list;
    }

    @Override
    public void release(Object value) {
        if (value != null && element.holdsReferences()) {
            for (Object item : (List<?>) value) {
                element.release(item);
            }
        }
    }
}
