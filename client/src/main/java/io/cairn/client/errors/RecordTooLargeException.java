package io.cairn.client.errors;

/**
 * A record is larger than the producer may ever send: its serialized size exceeds
 * {@code max.request.size} or {@code buffer.memory}, or the broker rejected it as over its limit.
 */
public class RecordTooLargeException extends CairnException {
    /** Creates the exception; the message names the size and the limit broken. */
    public RecordTooLargeException(String message) {
        super(message);
    }
}
