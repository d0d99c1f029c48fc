package io.cairn.protocol.types;

/**
 * Base of the schema kit's exceptions: a problem at a field path such as
 * {@code topics[0].partitions[1].records}, within a context such as {@code "Produce v0"}.
 *
 * <p>The path is built while the exception unwinds through the struct and array codecs, so the
 * success path pays nothing for it. Confined to the thread that throws and catches it.
 */
public abstract class FieldPathException extends RuntimeException {
    private final String problem;
    private String context = "";
    private String fieldPath = "";

    protected FieldPathException(String problem) {
        super(problem, null, false, true);
        this.problem = problem;
    }

    /** The problem alone, without context and path, e.g. "length 12 exceeds remaining 3 bytes". */
    public String problem() {
        return problem;
    }

    /** The field path from the message root, e.g. {@code topics[0].name}; empty at the root. */
    public String fieldPath() {
        return fieldPath;
    }

    /** What was being coded, e.g. {@code "Produce v0"} or {@code "request header"}; may be empty. */
    public String context() {
        return context;
    }

    /** Prefixes the path with a field name as the exception leaves a struct. */
    public FieldPathException atField(String name) {
        if (fieldPath.isEmpty() || fieldPath.charAt(0) == '[') {
            fieldPath = name + fieldPath;
        } else {
            fieldPath = name + "." + fieldPath;
        }
        return this;
    }

    /** Prefixes the path with an element index as the exception leaves an array. */
    public FieldPathException atIndex(int index) {
        String rest = fieldPath.isEmpty() || fieldPath.charAt(0) == '[' ? fieldPath : "." + fieldPath;
        fieldPath = "[" + index + "]" + rest;
        return this;
    }

    /** Sets the context once the exception reaches the message codec. */
    public FieldPathException inContext(String context) {
        this.context = context;
        return this;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (!context.isEmpty()) {
            sb.append(context).append(": ");
        }
        if (!fieldPath.isEmpty()) {
            sb.append("field ").append(fieldPath).append(": ");
        }
        return sb.append(problem).toString();
    }
}
