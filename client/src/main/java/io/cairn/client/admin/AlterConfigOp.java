package io.cairn.client.admin;

import java.util.Objects;

/**
 * One change to a setting.
 *
 * @param name the key
 * @param type set it or return it to its default
 * @param value the new value for SET, null for DELETE
 */
public record AlterConfigOp(String name, OpType type, String value) {
    /** What to do with the setting. */
    public enum OpType {
        /** Set the value. */
        SET,
        /** Remove it from the resource, so the default applies. */
        DELETE
    }

    /** Checks the key and type are present and SET has a value. */
    public AlterConfigOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type == OpType.SET && value == null) {
            throw new IllegalArgumentException("SET of " + name + " needs a value");
        }
    }

    /** Sets {@code name} to {@code value}. */
    public static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(name, OpType.SET, value);
    }

    /** Returns {@code name} to its default. */
    public static AlterConfigOp delete(String name) {
        return new AlterConfigOp(name, OpType.DELETE, null);
    }
}
