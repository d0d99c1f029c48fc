package io.cairn.client.errors;

/**
 * The producer's {@code buffer.memory} stayed full for longer than {@code max.block.ms}: records are
 * being produced faster than the broker takes them.
 */
public class BufferExhaustedException extends TimeoutException {
    /** Creates the exception; the message gives the bytes asked for and the pool's size. */
    public BufferExhaustedException(String message) {
        super(message);
    }
}
