package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The schema of a struct, bound to the Java record that carries its values: the single place
 * that describes a message. The encoder, the decoder and the protocol document are all derived
 * from it.
 *
 * <p>The fields must match the record's components one for one, in order, by name and by a
 * Java type that can hold the wire type; {@link #of} checks this when the schema is built (at
 * class initialisation), so a mismatch fails the first test that touches the message.
 *
 * <p>Fields absent from a version are not written in it, and decode to their default. Immutable
 * and thread-safe.
 *
 * @param <T> the record type
 */
public final class Schema<T extends Record> {
    private final Class<T> type;
    private final String name;
    private final Field[] fields;
    private final Method[] getters;
    private final Constructor<T> constructor;
    private final boolean holdsReferences;

    private Schema(Class<T> type, Field[] fields, Method[] getters, Constructor<T> constructor) {
        this.type = type;
        this.fields = fields;
        this.getters = getters;
        this.constructor = constructor;
        String binaryName = type.getName();
        this.name = binaryName.substring(binaryName.lastIndexOf('.') + 1).replace('$', '.');
        boolean refs = false;
        for (Field field : fields) {
            refs |= field.type().holdsReferences();
        }
        this.holdsReferences = refs;
    }

    /**
     * Binds {@code fields} to the record {@code type}.
     *
     * @throws IllegalArgumentException if the fields do not match the record's components
     */
    public static <T extends Record> Schema<T> of(Class<T> type, Field... fields) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null || components.length != fields.length) {
            throw new IllegalArgumentException(type.getName() + ": " + fields.length + " fields for "
                    + (components == null ? 0 : components.length) + " record components");
        }
        Method[] getters = new Method[fields.length];
        Class<?>[] parameterTypes = new Class<?>[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                RecordComponent component = components[i];
                Field field = fields[i];
                if (!component.getName().equals(field.name())) {
                    throw new IllegalArgumentException(type.getName() + ": field " + i + " is named '" + field.name()
                            + "' but the record component is '" + component.getName() + "'");
                }
                if (!field.type().accepts(component.getGenericType())) {
                    throw new IllegalArgumentException(type.getName() + "." + field.name() + ": Java type "
                            + component.getGenericType().getTypeName() + " cannot hold wire type " + field.type().name());
                }
                checkDefault(type, field, component.getType());
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                getters[i] = accessor;
                parameterTypes[i] = component.getType();
            }
            Constructor<T> canonical = type.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
            return new Schema<>(type, fields.clone(), getters, canonical);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getName() + ": cannot bind schema to record", e);
        }
    }

    private static void checkDefault(Class<?> type, Field field, Class<?> componentType) {
        Object value = field.defaultValue();
        boolean ok = value == null
                ? !componentType.isPrimitive()
                : MethodType.methodType(componentType).wrap().returnType().isInstance(value);
        if (!ok) {
            throw new IllegalArgumentException(type.getName() + "." + field.name() + ": default " + value
                    + " does not fit " + componentType.getName());
        }
    }

    /** The record class. */
    public Class<T> type() {
        return type;
    }

    /** The record's name within its package, e.g. {@code ProduceRequest.TopicData}. */
    public String name() {
        return name;
    }

    /** Every field, in wire order, whatever its versions. */
    public List<Field> fields() {
        return List.of(fields);
    }

    /** The fields that exist in {@code version}, in wire order. */
    public List<Field> fields(int version) {
        List<Field> present = new ArrayList<>(fields.length);
        for (Field field : fields) {
            if (field.versions().contains(version)) {
                present.add(field);
            }
        }
        return present;
    }

    /** Whether decoded values hold reference-counted buffers (records) to release. */
    public boolean holdsReferences() {
        return holdsReferences;
    }

    /** The fewest bytes a value takes in {@code version}. */
    public int minSize(int version) {
        int size = 0;
        for (Field field : fields) {
            if (field.versions().contains(version)) {
                size += field.type().minSize(version);
            }
        }
        return size;
    }

    /** Writes {@code value} in {@code version}; fields absent from that version are skipped. */
    public void write(MessageWriter out, T value, int version) {
        for (int i = 0; i < fields.length; i++) {
            Field field = fields[i];
            if (!field.versions().contains(version)) {
                continue;
            }
            try {
                field.type().write(out, get(i, value), version);
            } catch (EncodeException e) {
                throw e.atField(field.name());
            } catch (ClassCastException e) {
                throw new EncodeException("value of " + e.getMessage() + " does not fit " + field.type().name())
                        .atField(field.name());
            }
        }
    }

    void writeObject(MessageWriter out, Object value, int version) {
        write(out, type.cast(value), version);
    }

    /**
     * Reads a value in {@code version}. Records in the result are retained slices of {@code in};
     * on failure every slice retained so far is released before the exception leaves.
     *
     * @throws DecodeException for any bad input, naming the field path
     */
    public T read(ByteBuf in, int version) {
        Object[] values = new Object[fields.length];
        int i = 0;
        try {
            for (; i < fields.length; i++) {
                Field field = fields[i];
                values[i] = field.versions().contains(version) ? field.type().read(in, version) : field.defaultValue();
            }
        } catch (DecodeException e) {
            releaseValues(values, i);
            throw e.atField(fields[i].name());
        }
        return construct(values);
    }

    /**
     * A value with the given leading fields and every other field at its default: how a response
     * that carries only its error code and message is represented.
     */
    public T withDefaults(Object... leading) {
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = i < leading.length ? leading[i] : fields[i].defaultValue();
        }
        return construct(values);
    }

    /** Releases every buffer {@code value} holds (the records a decoder retained). */
    public void release(T value) {
        if (!holdsReferences) {
            return;
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i].type().release(get(i, value));
        }
    }

    void releaseObject(Object value) {
        release(type.cast(value));
    }

    private void releaseValues(Object[] values, int count) {
        if (holdsReferences) {
            for (int i = 0; i < count; i++) {
                fields[i].type().release(values[i]);
            }
        }
    }

    private Object get(int index, T value) {
        try {
            return getters[index].invoke(value);
        } catch (InvocationTargetException e) {
            throw unchecked(e.getCause(), name + "." + fields[index].name() + ": accessor failed");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name + "." + fields[index].name() + ": accessor failed", e);
        }
    }

    private T construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw unchecked(e.getCause(), name + ": constructor failed for " + Arrays.toString(values));
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(name + ": constructor failed for " + Arrays.toString(values), e);
        }
    }

    /** What the record's own code threw, as it was if unchecked (a record's code declares no checked exception). */
    private static RuntimeException unchecked(Throwable cause, String context) {
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(context, cause);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(fields);
    }
}
