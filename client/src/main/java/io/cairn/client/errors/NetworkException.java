package io.cairn.client.errors;

/** The connection to a broker failed or closed before the response arrived. */
public class NetworkException extends RetriableException {
    /** Creates the exception; the message names the broker address. */
    public NetworkException(String message) {
        super(message);
    }

    /** Creates the exception with the I/O failure that caused it. */
    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
