package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.RecordBytes;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Type;
import io.cairn.protocol.types.Types;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Builds message values from their schemas, so every API and version is exercised without
 * writing samples by hand. Fields absent from the version get their defaults, exactly what a
 * decoder produces for them.
 */
final class Samples {
    /** How to fill the fields. */
    enum Mode {
        /** Nulls where nullable, empty strings and arrays, zeros. */
        EMPTY,
        /** Nothing null, arrays of one to three elements, extreme numbers. */
        FULL,
        /** A random mix of the above. */
        RANDOM
    }

    private static final String[] STRINGS = {"", "a", "orders", "topic-with.dots_and-dash", "héllo wörld", "日本語のトピック",
            "emoji \uD83D\uDE00", "x".repeat(300)};

    private Samples() {
    }

    static <T extends Record> T value(Schema<T> schema, int version, Random random, Mode mode) {
        List<Field> fields = schema.fields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Field field = fields.get(i);
            values[i] = field.versions().contains(version) ? value(field.type(), version, random, mode) : field.defaultValue();
        }
        return schema.withDefaults(values);
    }

    private static Object value(Type type, int version, Random random, Mode mode) {
        if (type.isNullable() && (mode == Mode.EMPTY || (mode == Mode.RANDOM && random.nextInt(4) == 0))) {
            return null;
        }
        boolean empty = mode == Mode.EMPTY;
        boolean extreme = mode == Mode.FULL && random.nextBoolean();
        if (type.elementType() != null) {
            int size = empty ? 0 : mode == Mode.FULL ? 1 + random.nextInt(3) : random.nextInt(4);
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(value(type.elementType(), version, random, mode));
            }
            return list;
        }
        if (type.structSchema() != null) {
            return value(type.structSchema(), version, random, mode);
        }
        if (type == Types.INT8) {
            return empty ? (byte) 0 : extreme ? Byte.MIN_VALUE : (byte) random.nextInt();
        } else if (type == Types.INT16) {
            return empty ? (short) 0 : extreme ? Short.MIN_VALUE : (short) random.nextInt();
        } else if (type == Types.INT32) {
            return empty ? 0 : extreme ? Integer.MAX_VALUE : random.nextInt();
        } else if (type == Types.INT64) {
            return empty ? 0L : extreme ? Long.MIN_VALUE : random.nextLong();
        } else if (type == Types.UINT16) {
            return empty ? 0 : extreme ? 0xFFFF : random.nextInt(0x10000);
        } else if (type == Types.BOOL) {
            return !empty && random.nextBoolean();
        } else if (type == Types.UUID) {
            return empty ? new UUID(0, 0) : new UUID(random.nextLong(), random.nextLong());
        } else if (type == Types.STRING || type == Types.NULLABLE_STRING) {
            return empty ? "" : STRINGS[random.nextInt(STRINGS.length)];
        } else if (type == Types.RECORDS) {
            return records(random, empty);
        } else if (type == Types.RECORD_BYTES) {
            return RecordBytes.of(records(random, empty));
        }
        throw new IllegalArgumentException("no sample for type " + type);
    }

    private static ByteBuf records(Random random, boolean empty) {
        byte[] bytes = new byte[empty ? 0 : random.nextInt(200)];
        random.nextBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Every (spec, version) pair Cairn speaks. */
    static List<SpecVersion> specVersions() {
        List<SpecVersion> all = new ArrayList<>();
        for (ApiSpec<?, ?> spec : ApiSpecs.all()) {
            for (int v = spec.versions().lowest(); v <= spec.versions().highest(); v++) {
                all.add(new SpecVersion(spec, v));
            }
        }
        return all;
    }

    /** An API and one of its versions. */
    record SpecVersion(ApiSpec<?, ?> spec, int version) {
        @Override
        public String toString() {
            return spec.apiKey().displayName() + " v" + version;
        }
    }
}
