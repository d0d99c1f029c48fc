package io.cairn.client.errors;

/**
 * A failure that may succeed when tried again (a lost connection, a timeout, a leader that moved).
 * The producer retries these on its own within {@code delivery.timeout.ms}; other callers see them
 * only once their own deadline passed.
 */
public class RetriableException extends CairnException {
    /** Creates a retriable failure. */
    public RetriableException(String message) {
        super(message);
    }

    /** Creates a retriable failure with its cause. */
    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
