package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;

/**
 * A wire type of the schema kit: how one field's value is written, read, sized and documented.
 * Instances are immutable and shared; {@link Types} holds them all.
 *
 * <p>Every {@code read} checks that the bytes it needs remain before reading or allocating, and
 * reports a shortfall as a {@link DecodeException}; nothing else escapes it for bad input.
 */
public abstract class Type {
    Type() {
    }

    /** The name in the protocol tables, e.g. {@code int32}, {@code str?}, {@code [int32]}. */
    public abstract String name();

    /** One sentence on the encoding, for the primitive-types table. */
    public abstract String description();

    /** The fewest bytes a value of this type takes in {@code version}; used to bound array counts. */
    public abstract int minSize(int version);

    /** Writes {@code value}; throws {@link EncodeException} if it does not fit the type. */
    public abstract void write(MessageWriter out, Object value, int version);

    /** Reads a value, consuming its bytes; throws {@link DecodeException} on bad input. */
    public abstract Object read(ByteBuf in, int version);

    /** Whether a record component of this Java type can hold this wire type's values. */
    public abstract boolean accepts(java.lang.reflect.Type javaType);

    /** The value a field of this type takes in versions where it does not exist. */
    public abstract Object defaultValue();

    /** Whether null is a legal value. */
    public boolean isNullable() {
        return false;
    }

    /** Whether values may hold reference-counted buffers that a decoder retained. */
    public boolean holdsReferences() {
        return false;
    }

    /** Releases the buffers a decoded value holds; a no-op for types that hold none. */
    public void release(Object value) {
    }

    /** The element type of an array type, else null. */
    public Type elementType() {
        return null;
    }

    /** The struct schema this type carries (a struct, or an array of structs), else null. */
    public Schema<?> structSchema() {
        return null;
    }

    @Override
    public String toString() {
        return name();
    }

    static EncodeException nullNotAllowed(Type type) {
        return new EncodeException("null is not allowed for non-nullable " + type.name());
    }

    static void need(ByteBuf in, int bytes, Type type) {
        if (in.readableBytes() < bytes) {
            throw new DecodeException(DecodeError.TRUNCATED, type.name() + " needs " + bytes
                    + " bytes, " + in.readableBytes() + " remaining");
        }
    }

    static void checkLength(ByteBuf in, long length, Type type) {
        if (length > in.readableBytes()) {
            throw new DecodeException(DecodeError.LENGTH_EXCEEDS_REMAINING, "length " + length
                    + " exceeds remaining " + in.readableBytes() + " bytes");
        }
    }
}
