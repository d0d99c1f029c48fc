package io.cairn.client.errors;

/**
 * Base of every exception the Cairn client throws or completes a future with. Unchecked, like
 * Kafka's {@code KafkaException}: callers catch the subclasses they can act on.
 */
public class CairnException extends RuntimeException {
    /** Creates an exception with a message that names what failed and why. */
    public CairnException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public CairnException(String message, Throwable cause) {
        super(message, cause);
    }
}
