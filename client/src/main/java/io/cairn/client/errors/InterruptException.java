package io.cairn.client.errors;

/**
 * The calling thread was interrupted while blocked in the client. The thread's interrupt flag is set
 * again before this is thrown, so callers up the stack still see it.
 */
public class InterruptException extends CairnException {
    /** Wraps the interruption and restores the thread's interrupt flag. */
    public InterruptException(String message, InterruptedException cause) {
        super(message, cause);
        Thread.currentThread().interrupt();
    }
}
