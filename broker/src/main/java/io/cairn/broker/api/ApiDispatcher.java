package io.cairn.broker.api;

import io.cairn.broker.network.Connection;
import io.cairn.broker.network.OutboundResponse;
import io.cairn.broker.network.RateLimitedLog;
import io.cairn.broker.network.RequestProcessor;
import io.cairn.broker.network.UnframeableRequestException;
import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiResponse;
import io.cairn.protocol.message.ApiSpec;
import io.cairn.protocol.message.ApiVersionsResponse;
import io.cairn.protocol.message.ResponseCodec;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes request frames to the {@link ApiHandler} registered for their API: reads the request
 * header, checks the API and version, decodes the body, calls the handler and turns its outcome
 * into a response frame.
 *
 * <pre>
 * header does not parse          -> no response possible: the connection is closed (logged, rate-limited)
 * API unknown or not served      -> UNSUPPORTED_VERSION, error-only response
 * version not spoken             -> UNSUPPORTED_VERSION, error-only response
 * body does not decode           -> INVALID_REQUEST, error-only response naming the field
 * handler throws / fails         -> UNKNOWN_SERVER_ERROR, error-only response; logged with the request
 * response cannot be encoded     -> UNKNOWN_SERVER_ERROR, error-only response; logged with the request
 * </pre>
 * Error-only responses ({@code errorCode errorMessage}, nothing more) decode with every version
 * of every response schema, so a client always learns why its request failed.
 *
 * <p>Registration happens while the broker starts, before it listens; {@link #freeze()} then
 * makes the table read-only, and the network threads see it through the event loops' start.
 * After that the dispatcher is stateless and shared by all event loops.
 */
public final class ApiDispatcher implements RequestProcessor {
    private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

    private final Registration<?, ?>[] byId = new Registration<?, ?>[FrameDescriptor.API_KEY_MASK + 1];
    private final RequestObserver observer;
    private final RateLimitedLog badRequestLog = new RateLimitedLog(log, 10_000);
    private final RateLimitedLog failureLog = new RateLimitedLog(log, 1_000);
    private volatile boolean frozen;

    public ApiDispatcher(RequestObserver observer) {
        this.observer = observer;
    }

    /**
     * Serves {@code spec}'s API with {@code handler}, in every version the spec speaks.
     *
     * @throws IllegalStateException if the API has a handler already or the dispatcher is frozen
     */
    public synchronized <Q extends Record & ApiRequest, R extends Record & ApiResponse> void register(
            ApiSpec<Q, R> spec, ApiHandler<Q, R> handler) {
        if (frozen) {
            throw new IllegalStateException("cannot register " + spec.apiKey().displayName()
                    + ": handlers are registered before the broker listens");
        }
        int id = spec.apiKey().id();
        if (byId[id] != null) {
            throw new IllegalStateException(spec.apiKey().displayName() + " has a handler already: " + byId[id].handler);
        }
        byId[id] = new Registration<>(spec, handler);
    }

    /** Ends registration. */
    public synchronized void freeze() {
        frozen = true;
    }

    /** Whether a handler serves {@code api}. */
    public synchronized boolean serves(ApiKey api) {
        return byId[api.id()] != null;
    }

    /** The APIs served, with the versions spoken, in API key order: the body of ApiVersions. */
    public synchronized List<ApiVersionsResponse.ApiVersion> servedVersions() {
        List<ApiVersionsResponse.ApiVersion> versions = new ArrayList<>();
        for (Registration<?, ?> r : byId) {
            if (r != null) {
                versions.add(new ApiVersionsResponse.ApiVersion((short) r.spec.apiKey().id(),
                        (short) r.spec.versions().lowest(), (short) r.spec.versions().highest()));
            }
        }
        return versions;
    }

    @Override
    public CompletableFuture<OutboundResponse> process(Connection connection, Frame frame) {
        long receivedNanos = System.nanoTime();
        RequestHeader header;
        try {
            header = RequestHeader.read(frame);
        } catch (DecodeException e) {
            frame.release();
            return CompletableFuture.failedFuture(new UnframeableRequestException(frame.type(), e.getMessage()));
        }
        Registration<?, ?> registration = byId[header.apiKeyId()];
        if (registration == null) {
            frame.release();
            ApiKey known = header.apiKey();
            String message = known == null
                    ? "api key " + header.apiKeyId() + " is not one Cairn speaks"
                    : known.displayName() + " is not served by this broker";
            return reject(connection, header, ErrorCode.UNSUPPORTED_VERSION, message, receivedNanos);
        }
        if (!registration.spec.versions().contains(header.apiVersion())) {
            frame.release();
            return reject(connection, header, ErrorCode.UNSUPPORTED_VERSION, registration.spec.apiKey().displayName()
                    + " v" + header.apiVersion() + " is not supported (expected: versions "
                    + registration.spec.versions() + ")", receivedNanos);
        }
        EventExecutor eventLoop = connection.eventLoop();
        RequestContext context = new RequestContext(connection, header, registration.spec.apiKey(), eventLoop, receivedNanos);
        return registration.dispatch(context, frame);
    }

    private CompletableFuture<OutboundResponse> reject(Connection connection, RequestHeader header, ErrorCode error,
                                                       String message, long receivedNanos) {
        badRequestLog.warn("bad request {} on {}: {}: {}", header.describe(), connection, error, message);
        ApiKey api = header.apiKey();
        observer.requestCompleted(api == null ? "unknown" : api.displayName(), error, System.nanoTime() - receivedNanos);
        return CompletableFuture.completedFuture(new ErrorResponse(header, error, message));
    }

    /** One API's handler with its spec, binding the request and response types together. */
    private final class Registration<Q extends Record & ApiRequest, R extends Record & ApiResponse> {
        private final ApiSpec<Q, R> spec;
        private final ApiHandler<Q, R> handler;

        Registration(ApiSpec<Q, R> spec, ApiHandler<Q, R> handler) {
            this.spec = spec;
            this.handler = handler;
        }

        CompletableFuture<OutboundResponse> dispatch(RequestContext context, Frame frame) {
            Q request;
            try {
                request = spec.decodeRequest(frame.value(), context.apiVersion());
            } catch (DecodeException e) {
                return reject(context.connection(), context.header(), ErrorCode.forDecodeError(e.error()), e.getMessage(),
                        context.receivedNanos());
            } finally {
                frame.release();
            }
            CompletableFuture<R> response;
            try {
                response = handler.handle(context, request);
                if (response == null) {
                    throw new IllegalStateException("handler " + handler + " returned no future");
                }
            } catch (RuntimeException e) {
                response = CompletableFuture.failedFuture(e);
            }
            return response.handle((r, failure) -> {
                spec.releaseRequest(request);
                long latencyNanos = System.nanoTime() - context.receivedNanos();
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    failureLog.warn("{} failed: {}", context, cause.toString(), cause);
                    observer.requestCompleted(spec.apiKey().displayName(), ErrorCode.UNKNOWN_SERVER_ERROR, latencyNanos);
                    return new ErrorResponse(context.header(), ErrorCode.UNKNOWN_SERVER_ERROR,
                            "unexpected error handling " + context.header().describe() + ": " + cause);
                }
                observer.requestCompleted(spec.apiKey().displayName(), r == null ? ErrorCode.NONE : r.error(), latencyNanos);
                return r == null ? null : new TypedResponse<>(spec, r, context);
            });
        }
    }

    /** A handler's response, encoded on the connection's event loop. */
    private final class TypedResponse<Q extends Record & ApiRequest, R extends Record & ApiResponse> implements OutboundResponse {
        private final ApiSpec<Q, R> spec;
        private final R response;
        private final RequestContext context;

        TypedResponse(ApiSpec<Q, R> spec, R response, RequestContext context) {
            this.spec = spec;
            this.response = response;
            this.context = context;
        }

        @Override
        public EncodedFrame encode(ByteBufAllocator alloc) {
            try {
                return spec.encodeResponse(alloc, response, context.apiVersion(), context.correlationId());
            } catch (RuntimeException e) {
                failureLog.warn("cannot encode the response to {}: {}", context, e.toString(), e);
                return ResponseCodec.encodeError(alloc, spec.apiKey().id(), context.correlationId(),
                        ErrorCode.UNKNOWN_SERVER_ERROR, "the broker could not encode its response: " + e.getMessage());
            } finally {
                spec.releaseResponse(response);
            }
        }

        @Override
        public void discard() {
            spec.releaseResponse(response);
        }
    }

    /** An error-only response: correlation id, error code, message. */
    private record ErrorResponse(RequestHeader header, ErrorCode error, String message) implements OutboundResponse {
        @Override
        public EncodedFrame encode(ByteBufAllocator alloc) {
            return ResponseCodec.encodeError(alloc, header.apiKeyId(), header.correlationId(), error, message);
        }

        @Override
        public void discard() {
            // holds no buffers
        }
    }
}
