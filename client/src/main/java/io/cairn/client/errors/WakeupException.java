package io.cairn.client.errors;

/**
 * Thrown from a blocking consumer call after another thread called {@code wakeup()}: the usual way to
 * end a poll loop from a shutdown hook.
 */
public class WakeupException extends CairnException {
    /** Creates the exception. */
    public WakeupException() {
        super("consumer woken up by wakeup()");
    }
}
