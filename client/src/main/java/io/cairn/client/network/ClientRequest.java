package io.cairn.client.network;

import io.netty.buffer.ByteBuf;

/**
 * One request as the network layer frames it: API key and version for the header, a writer for the
 * body, and a reader for the response body that follows the correlation id.
 *
 * <p>{@link #readResponse} runs on the network thread: it must only parse, never block. A response
 * holding record bytes must copy or retain what it keeps; the frame is released after it returns.
 *
 * @param <R> the parsed response
 */
public interface ClientRequest<R> {
    /** The API key written as the frame type. */
    int apiKey();

    /** The API version written first in the frame value. */
    int apiVersion();

    /** Whether the broker answers at all (a produce with acks=0 is not answered). */
    default boolean expectsResponse() {
        return true;
    }

    /** Writes the request body (after the request header) into {@code out}. */
    void writeBody(ByteBuf out);

    /** Parses the response body (after the correlation id). */
    R readResponse(ByteBuf body);

    /** A short name for logs and errors, e.g. {@code Produce v0}. */
    default String describe() {
        return "api " + apiKey() + " v" + apiVersion();
    }
}
