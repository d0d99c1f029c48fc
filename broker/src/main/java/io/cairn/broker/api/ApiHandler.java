package io.cairn.broker.api;

import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one API: turns a decoded request into a response, usually by calling a broker service.
 * Registered with the {@link ApiDispatcher} under the API's {@code ApiSpec}.
 *
 * <p>Threading: {@link #handle} is called on the connection's event loop, once per request, in
 * the order requests arrived on that connection. It must not block (no disk I/O, no locks held
 * for long, no waiting on futures): hand blocking work to a service thread and return a future.
 * Because calls are made in arrival order, work queued to a single-writer thread from here
 * keeps the connection's order.
 *
 * <p>Ownership: the request's record buffers (Produce) stay valid until the returned future
 * completes; the dispatcher releases them then. A handler that needs the bytes longer must
 * retain them itself.
 *
 * <p>Outcomes: complete with a response (per-item errors inside it), with {@code null} for a
 * request that gets no response (acks=0), or exceptionally for a bug or an unexpected failure,
 * which the dispatcher logs with the request's context and answers with UNKNOWN_SERVER_ERROR.
 * A response may hold file slices; they are sent with sendfile.
 *
 * @param <Q> the request record
 * @param <R> the response record
 */
@FunctionalInterface
public interface ApiHandler<Q extends Record & ApiRequest, R extends Record & ApiResponse> {

    CompletableFuture<R> handle(RequestContext context, Q request);
}
