package io.cairn.protocol.types;

import java.util.Objects;

/**
 * One field of a struct schema: its name (equal to the Java record component it binds to), wire
 * type, documentation, the versions it exists in, and the value it takes in other versions.
 * Immutable.
 */
public final class Field {
    private final String name;
    private final Type type;
    private final String doc;
    private final Versions versions;
    private final Object defaultValue;

    private Field(String name, Type type, String doc, Versions versions, Object defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.versions = Objects.requireNonNull(versions, "versions");
        this.defaultValue = defaultValue;
    }

    /** A field that exists in every version, defaulting to its type's default. */
    public static Field of(String name, Type type, String doc) {
        return new Field(name, type, doc, Versions.ALL, type.defaultValue());
    }

    /** This field, existing only in {@code versions}. */
    public Field versions(Versions versions) {
        return new Field(name, type, doc, versions, defaultValue);
    }

    /** This field, added in {@code version}. */
    public Field since(int version) {
        return versions(Versions.since(version));
    }

    /**
     * This field with another value for versions that lack it (boxed as the record component
     * expects: a {@code Short} for int16, an {@code Integer} for int32, ...).
     */
    public Field withDefault(Object value) {
        return new Field(name, type, doc, versions, value);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public Versions versions() {
        return versions;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    @Override
    public String toString() {
        return name + ":" + type.name() + "@" + versions;
    }
}
