package io.cairn.protocol.message;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.RequestHeader;
import io.netty.buffer.ByteBufAllocator;

/**
 * Requests by API key: the broker decodes with it, the client encodes with it. Stateless.
 *
 * <p>Broker side, per frame:
 * <pre>{@code
 * RequestHeader header = RequestHeader.read(frame);          // DecodeException: close the connection
 * try {
 *     ApiRequest request = RequestCodec.decode(header, frame); // checks api key and version first
 *     ... handle; for Produce, release the records when done (RequestCodec.release(request))
 * } catch (DecodeException e) {                                 // answerable: header is known
 *     ResponseCodec.encodeError(alloc, header.apiKeyId(), header.correlationId(),
 *                               ErrorCode.forDecodeError(e.error()), e.getMessage());
 * } finally {
 *     frame.release();                                          // the request keeps its own references
 * }
 * }</pre>
 */
public final class RequestCodec {
    private RequestCodec() {
    }

    /**
     * Whether Cairn speaks the header's API in the header's version: {@link ErrorCode#NONE}, or
     * {@link ErrorCode#UNSUPPORTED_VERSION} for an unknown API key or an unsupported version.
     */
    public static ErrorCode check(RequestHeader header) {
        ApiSpec<?, ?> spec = ApiSpecs.forId(header.apiKeyId());
        return spec != null && spec.versions().contains(header.apiVersion()) ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION;
    }

    /**
     * Decodes the body of a request frame whose header was read with {@link RequestHeader#read}.
     * The API key and version are checked before the body is looked at. The frame keeps its own
     * reference: release it after this returns or throws.
     *
     * @throws DecodeException UNKNOWN_API_KEY or UNSUPPORTED_VERSION before parsing, else the
     *                         body's problem naming API, version and field
     */
    public static ApiRequest decode(RequestHeader header, Frame frame) {
        ApiSpec<?, ?> spec = ApiSpecs.forId(header.apiKeyId());
        if (spec == null) {
            throw new DecodeException(DecodeError.UNKNOWN_API_KEY, "api key " + header.apiKeyId()
                    + " is not one Cairn speaks").inContext("request " + header.describe());
        }
        return spec.decodeRequest(frame.value(), header.apiVersion());
    }

    /** Encodes a request frame for {@code request.apiKey()} in {@code version}. */
    public static EncodedFrame encode(ByteBufAllocator alloc, ApiRequest request, int version, int correlationId, String clientId) {
        return encode(ApiSpecs.forKey(request.apiKey()), alloc, request, version, correlationId, clientId);
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> EncodedFrame encode(
            ApiSpec<Q, R> spec, ByteBufAllocator alloc, ApiRequest request, int version, int correlationId, String clientId) {
        return spec.encodeRequest(alloc, spec.requestSchema().type().cast(request), version, correlationId, clientId);
    }

    /** Releases the record buffers a decoded request holds (Produce); a no-op for other APIs. */
    public static void release(ApiRequest request) {
        release(ApiSpecs.forKey(request.apiKey()), request);
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> void release(ApiSpec<Q, R> spec, ApiRequest request) {
        spec.releaseRequest(spec.requestSchema().type().cast(request));
    }
}
