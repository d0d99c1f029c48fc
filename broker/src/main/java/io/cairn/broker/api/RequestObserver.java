package io.cairn.broker.api;

import io.cairn.protocol.wire.ErrorCode;

/**
 * Told about every answered request, for metrics. Called on whichever thread completed the
 * request; implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface RequestObserver {
    /** A no-op observer. */
    RequestObserver NONE = (api, error, latencyNanos) -> { };

    /**
     * @param api          the API's display name ("Produce"), or "unknown" for an API key Cairn does not speak
     * @param error        the request-level error code of the response (NONE for success, and for
     *                     requests that get no response)
     * @param latencyNanos from the frame being cut from the stream to the response being ready
     */
    void requestCompleted(String api, ErrorCode error, long latencyNanos);
}
