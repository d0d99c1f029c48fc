package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;
import java.util.UUID;

/** The fixed-width types: integers, boolean and uuid. Immutable. */
abstract class PrimitiveType extends Type {
    private final String name;
    private final String description;
    private final int size;
    private final Class<?> primitive;
    private final Class<?> boxed;
    private final Object defaultValue;

    PrimitiveType(String name, String description, int size, Class<?> primitive, Class<?> boxed, Object defaultValue) {
        this.name = name;
        this.description = description;
        this.size = size;
        this.primitive = primitive;
        this.boxed = boxed;
        this.defaultValue = defaultValue;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int minSize(int version) {
        return size;
    }

    @Override
    public boolean accepts(java.lang.reflect.Type javaType) {
        return javaType == primitive || javaType == boxed;
    }

    @Override
    public Object defaultValue() {
        return defaultValue;
    }

    @Override
    public final void write(MessageWriter out, Object value, int version) {
        if (value == null) {
            throw nullNotAllowed(this);
        }
        writeValue(out.buf(), value);
    }

    @Override
    public final Object read(ByteBuf in, int version) {
        need(in, size, this);
        return readValue(in);
    }

    abstract void writeValue(ByteBuf out, Object value);

    abstract Object readValue(ByteBuf in);

    static final PrimitiveType INT8 = new PrimitiveType("int8", "Signed 8-bit integer.", 1, byte.class, Byte.class, (byte) 0) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            out.writeByte((Byte) value);
        }

        @Override
        Object readValue(ByteBuf in) {
            return in.readByte();
        }
    };

    static final PrimitiveType INT16 = new PrimitiveType("int16", "Signed 16-bit integer, big-endian.", 2, short.class, Short.class, (short) 0) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            out.writeShort((Short) value);
        }

        @Override
        Object readValue(ByteBuf in) {
            return in.readShort();
        }
    };

    static final PrimitiveType INT32 = new PrimitiveType("int32", "Signed 32-bit integer, big-endian.", 4, int.class, Integer.class, 0) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            out.writeInt((Integer) value);
        }

        @Override
        Object readValue(ByteBuf in) {
            return in.readInt();
        }
    };

    static final PrimitiveType INT64 = new PrimitiveType("int64", "Signed 64-bit integer, big-endian.", 8, long.class, Long.class, 0L) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            out.writeLong((Long) value);
        }

        @Override
        Object readValue(ByteBuf in) {
            return in.readLong();
        }
    };

    static final PrimitiveType UINT16 = new PrimitiveType("uint16", "Unsigned 16-bit integer, big-endian (0 to 65535), held in a Java int.", 2, int.class, Integer.class, 0) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            int v = (Integer) value;
            if (v < 0 || v > 0xFFFF) {
                throw new EncodeException("uint16 value " + v + " out of range 0..65535");
            }
            out.writeShort(v);
        }

        @Override
        Object readValue(ByteBuf in) {
            return in.readUnsignedShort();
        }
    };

    static final PrimitiveType BOOL = new PrimitiveType("bool", "One byte: 0 false, 1 true; any other value is rejected.", 1, boolean.class, Boolean.class, false) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            out.writeByte((Boolean) value ? 1 : 0);
        }

        @Override
        Object readValue(ByteBuf in) {
            byte b = in.readByte();
            if (b == 0) {
                return false;
            }
            if (b == 1) {
                return true;
            }
            throw new DecodeException(DecodeError.INVALID_VALUE, "bool byte " + b + " is neither 0 nor 1");
        }
    };

    static final PrimitiveType UUID_TYPE = new PrimitiveType("uuid", "16 bytes: most significant 64 bits, then least significant, big-endian. All zeros means none.", 16, UUID.class, UUID.class, new UUID(0L, 0L)) {
        @Override
        void writeValue(ByteBuf out, Object value) {
            UUID uuid = (UUID) value;
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        }

        @Override
        Object readValue(ByteBuf in) {
            return new UUID(in.readLong(), in.readLong());
        }
    };
}
