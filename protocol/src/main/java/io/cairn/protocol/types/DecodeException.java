package io.cairn.protocol.types;

/**
 * Bytes from the network that do not decode: the only exception the protocol decoders throw for
 * bad input. The message names the API and version, the field and the problem, e.g.
 * {@code "Produce v0: field topics[0].partitions[1].records: length 2147483647 exceeds remaining 37 bytes"};
 * {@link #error()} gives the kind as a code.
 *
 * <p>A decoder that throws has released every buffer it retained before the failure.
 */
public final class DecodeException extends FieldPathException {
    private final DecodeError error;

    public DecodeException(DecodeError error, String problem) {
        super(problem);
        this.error = error;
    }

    /** The kind of problem. */
    public DecodeError error() {
        return error;
    }

    @Override
    public DecodeException atField(String name) {
        super.atField(name);
        return this;
    }

    @Override
    public DecodeException atIndex(int index) {
        super.atIndex(index);
        return this;
    }

    @Override
    public DecodeException inContext(String context) {
        super.inContext(context);
        return this;
    }
}
