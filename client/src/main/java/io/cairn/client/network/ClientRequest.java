package io.cairn.client.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One request as the network layer sends it: it encodes its whole frame once the connection has
 * chosen the correlation id, and decodes the response body. {@link WireRequest} adapts the protocol
 * module's message classes.
 *
 * <p>{@link #decode} runs on the network thread: it must only parse, never block. A response holding
 * record bytes must retain what it keeps; the frame is released after decode returns.
 *
 * @param <R> the parsed response
 */
public interface ClientRequest<R> {
    /** The API key: the request frame's type. */
    int apiKey();

    /** The API version. */
    int apiVersion();

    /** Whether the broker answers at all (a produce with acks=0 is not answered). */
    default boolean expectsResponse() {
        return true;
    }

    /**
     * Encodes the whole frame: {@code type:u16 length:u32}, then {@code apiVersion correlationId clientId}
     * and the body. The returned buffer is handed to the channel, which releases it.
     */
    ByteBuf encode(ByteBufAllocator alloc, int correlationId, String clientId);

    /**
     * Parses a response.
     *
     * @param frameType the response frame's type (the API key with the response flag)
     * @param body the frame value after the correlation id; released by the caller after this returns
     */
    R decode(int frameType, ByteBuf body);

    /** A short name for logs and errors, e.g. {@code Produce v0}. */
    default String describe() {
        return "api " + apiKey() + " v" + apiVersion();
    }
}
