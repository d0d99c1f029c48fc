package io.cairn.client.errors;

/** The producer, consumer or admin client was closed before the operation could finish. */
public class ClientClosedException extends CairnException {
    /** Creates the exception naming what was cut short. */
    public ClientClosedException(String message) {
        super(message);
    }
}
