package io.cairn.protocol.message;

import io.cairn.protocol.wire.ErrorCode;

/**
 * The body of a response. Every response body starts with the request-level outcome,
 * {@code errorCode} and {@code errorMessage}; when the error code is not NONE the rest of the
 * body may be absent (the error-only form) and decodes to defaults.
 */
public interface ApiResponse extends ApiMessage {
    /** The request-level error code, 0 (NONE) when the request as a whole was handled. */
    short errorCode();

    /** A message for the request-level error, may be null. */
    String errorMessage();

    /** {@link #errorCode()} as an {@link ErrorCode}. */
    default ErrorCode error() {
        return ErrorCode.forCode(errorCode());
    }
}
