package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;

/** A nested struct: its fields in schema order, no length prefix. Immutable. */
final class StructType extends Type {
    private final Schema<?> schema;

    StructType(Schema<?> schema) {
        this.schema = schema;
    }

    @Override
    public String name() {
        return schema.name();
    }

    @Override
    public String description() {
        return "The struct's fields in order, without a length prefix.";
    }

    @Override
    public int minSize(int version) {
        return schema.minSize(version);
    }

    @Override
    public boolean holdsReferences() {
        return schema.holdsReferences();
    }

    @Override
    public Schema<?> structSchema() {
        return schema;
    }

    @Override
    public boolean accepts(java.lang.reflect.Type javaType) {
        return javaType == schema.type();
    }

    @Override
    public Object defaultValue() {
        return null;
    }

    @Override
    public void write(MessageWriter out, Object value, int version) {
        if (value == null) {
            throw nullNotAllowed(this);
        }
        schema.writeObject(out, value, version);
    }

    @Override
    public Object read(ByteBuf in, int version) {
        return schema.read(in, version);
    }

    @Override
    public void release(Object value) {
        if (value != null) {
            schema.releaseObject(value);
        }
    }
}
