package io.cairn.cli.common;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer for the CLI's {@code --output json} and {@code --format json}
 * output: objects, arrays, strings, numbers, booleans and null, written compactly into a
 * {@link StringBuilder}. It checks nesting (a value inside an object needs a name first, every
 * object and array is closed) so a command cannot print half a document. The top-level value is an
 * object or an array.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("topic").value("orders").name("partitions").value(3)
 *         .endObject().toString();                          // {"topic":"orders","partitions":3}
 * }</pre>
 *
 * <p>Not thread-safe; one writer per document.
 */
public final class JsonWriter {
    private enum Scope { OBJECT_EMPTY, OBJECT, NAME, ARRAY_EMPTY, ARRAY }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private boolean done;

    public JsonWriter beginObject() {
        beforeValue();
        scopes.push(Scope.OBJECT_EMPTY);
        out.append('{');
        return this;
    }

    public JsonWriter endObject() {
        Scope scope = scopes.peek();
        if (scope != Scope.OBJECT_EMPTY && scope != Scope.OBJECT) {
            throw new IllegalStateException("endObject() outside an object, or after a name without a value: " + out);
        }
        scopes.pop();
        out.append('}');
        afterClose();
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        scopes.push(Scope.ARRAY_EMPTY);
        out.append('[');
        return this;
    }

    public JsonWriter endArray() {
        Scope scope = scopes.peek();
        if (scope != Scope.ARRAY_EMPTY && scope != Scope.ARRAY) {
            throw new IllegalStateException("endArray() outside an array: " + out);
        }
        scopes.pop();
        out.append(']');
        afterClose();
        return this;
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        Scope scope = scopes.peek();
        if (scope == Scope.OBJECT) {
            out.append(',');
        } else if (scope != Scope.OBJECT_EMPTY) {
            throw new IllegalStateException("name(\"" + name + "\") outside an object: " + out);
        }
        scopes.pop();
        scopes.push(Scope.NAME);
        string(name);
        out.append(':');
        return this;
    }

    /** A string value, or null. */
    public JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A number; NaN and infinities, which JSON cannot carry, become null. */
    public JsonWriter value(double value) {
        beforeValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        return this;
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A number or null. */
    public JsonWriter value(Long value) {
        return value == null ? nullValue() : value(value.longValue());
    }

    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** The document; fails unless every object and array was closed. */
    @Override
    public String toString() {
        if (!done || !scopes.isEmpty()) {
            throw new IllegalStateException("incomplete JSON document: " + out);
        }
        return out.toString();
    }

    private void beforeValue() {
        if (done) {
            throw new IllegalStateException("a JSON document has one top-level value: " + out);
        }
        Scope scope = scopes.peek();
        if (scope == null) {
            return;
        }
        switch (scope) {
            case NAME -> {
                scopes.pop();
                scopes.push(Scope.OBJECT);
            }
            case ARRAY_EMPTY -> {
                scopes.pop();
                scopes.push(Scope.ARRAY);
            }
            case ARRAY -> out.append(',');
            default -> throw new IllegalStateException("a value inside an object needs a name first: " + out);
        }
    }

    private void afterClose() {
        if (scopes.isEmpty()) {
            done = true;
        }
    }

    /** Writes {@code s} as a JSON string literal, escaping quotes, backslashes and control characters. */
    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
