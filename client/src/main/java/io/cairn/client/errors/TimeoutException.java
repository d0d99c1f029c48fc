package io.cairn.client.errors;

/**
 * A client-side deadline passed: {@code max.block.ms}, {@code delivery.timeout.ms},
 * {@code request.timeout.ms} or {@code default.api.timeout.ms}. The message names the deadline and
 * what was being waited for.
 */
public class TimeoutException extends RetriableException {
    /** Creates a timeout naming the deadline that passed. */
    public TimeoutException(String message) {
        super(message);
    }

    /** Creates a timeout with the failure seen last before the deadline passed. */
    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
