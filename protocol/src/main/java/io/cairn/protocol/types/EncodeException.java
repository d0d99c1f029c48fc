package io.cairn.protocol.types;

/**
 * A message that cannot be encoded as given: null in a non-nullable field, a string longer than
 * a u16 length allows, a value out of its type's range, or file-backed records where the bytes
 * must be copied. A programming error on the sending side, never caused by network input.
 */
public final class EncodeException extends FieldPathException {
    public EncodeException(String problem) {
        super(problem);
    }

    @Override
    public EncodeException atField(String name) {
        super.atField(name);
        return this;
    }

    @Override
    public EncodeException atIndex(int index) {
        super.atIndex(index);
        return this;
    }

    @Override
    public EncodeException inContext(String context) {
        super.inContext(context);
        return this;
    }
}
