package io.cairn.protocol.types;

import java.util.List;

/**
 * The wire types of the schema kit. Fixed-width integers are big-endian; {@code ?} marks a
 * nullable type. All instances are immutable and shared.
 */
public final class Types {
    /** Signed 8-bit integer ({@code byte}). */
    public static final Type INT8 = PrimitiveType.INT8;
    /** Signed 16-bit integer ({@code short}). */
    public static final Type INT16 = PrimitiveType.INT16;
    /** Signed 32-bit integer ({@code int}). */
    public static final Type INT32 = PrimitiveType.INT32;
    /** Signed 64-bit integer ({@code long}). */
    public static final Type INT64 = PrimitiveType.INT64;
    /** Unsigned 16-bit integer held in an {@code int}. */
    public static final Type UINT16 = PrimitiveType.UINT16;
    /** Boolean as one byte, 0 or 1. */
    public static final Type BOOL = PrimitiveType.BOOL;
    /** {@link java.util.UUID} as 16 bytes. */
    public static final Type UUID = PrimitiveType.UUID_TYPE;
    /** Non-null string: u16 length + UTF-8. */
    public static final Type STRING = new StringType(false);
    /** Nullable string: u16 length + UTF-8, 0xFFFF = null. */
    public static final Type NULLABLE_STRING = new StringType(true);
    /** Record batches as a {@link io.netty.buffer.ByteBuf}: i32 length, -1 = null; decoded as a retained slice. */
    public static final Type RECORDS = new RecordsType(false);
    /** Record batches as {@link RecordBytes} (memory or file slice): same wire form as {@link #RECORDS}. */
    public static final Type RECORD_BYTES = new RecordsType(true);

    private Types() {
    }

    /** A non-null array of {@code element}, Java type {@code List<E>}. */
    public static Type array(Type element) {
        return new ArrayType(element, false);
    }

    /** A nullable array of {@code element}. */
    public static Type nullableArray(Type element) {
        return new ArrayType(element, true);
    }

    /** A non-null array of structs. */
    public static Type array(Schema<?> element) {
        return array(struct(element));
    }

    /** A nullable array of structs. */
    public static Type nullableArray(Schema<?> element) {
        return nullableArray(struct(element));
    }

    /** A non-null nested struct. */
    public static Type struct(Schema<?> schema) {
        return new StructType(schema);
    }

    /** The scalar types, in the order the protocol document lists them (arrays and structs aside). */
    public static List<Type> scalars() {
        return List.of(INT8, INT16, INT32, INT64, UINT16, BOOL, UUID, STRING, NULLABLE_STRING, RECORDS);
    }
}
