package io.cairn.protocol.message;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.Frame;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameWriter;
import io.cairn.protocol.wire.ResponseHeader;
import io.netty.buffer.ByteBufAllocator;

/**
 * Responses by API key: the broker encodes with it, the client decodes with it. Stateless.
 *
 * <p>Client side, per frame:
 * <pre>{@code
 * ResponseHeader header = ResponseHeader.read(frame);
 * Pending p = inFlight.remove(header.correlationId());     // responses may come out of order
 * ApiResponse response = ResponseCodec.decode(frame, p.version());
 * frame.release();                                          // Fetch records are retained slices
 * }</pre>
 */
public final class ResponseCodec {
    private ResponseCodec() {
    }

    /** Encodes a response frame; the broker writes the chunks in order (see {@link EncodedFrame}). */
    public static EncodedFrame encode(ByteBufAllocator alloc, ApiResponse response, int version, int correlationId) {
        return encode(ApiSpecs.forKey(response.apiKey()), alloc, response, version, correlationId);
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> EncodedFrame encode(
            ApiSpec<Q, R> spec, ByteBufAllocator alloc, ApiResponse response, int version, int correlationId) {
        return spec.encodeResponse(alloc, spec.responseSchema().type().cast(response), version, correlationId);
    }

    /**
     * Encodes the error-only form of a response: correlation id, error code, message, nothing
     * more. Valid for any API key and version, even one Cairn does not know, so the broker can
     * answer a request whose body it could not decode. A client decodes it with any version of
     * the API's response schema (see {@link ApiSpec#decodeResponse}).
     */
    public static EncodedFrame encodeError(ByteBufAllocator alloc, int apiKeyId, int correlationId, ErrorCode error, String message) {
        if (error == ErrorCode.NONE) {
            throw new IllegalArgumentException("an error-only response needs an error, not NONE");
        }
        MessageWriter out = FrameWriter.start(alloc, FrameDescriptor.responseType(apiKeyId));
        new ResponseHeader(apiKeyId, correlationId).write(out);
        Types.INT16.write(out, error.code(), 0);
        Types.NULLABLE_STRING.write(out, truncate(message), 0);
        return FrameWriter.finish(out);
    }

    private static String truncate(String message) {
        // a u16 length bounds the message; 1000 characters are plenty for any error we produce
        return message == null || message.length() <= 1000 ? message : message.substring(0, 1000) + "...";
    }

    /**
     * Decodes the body of a response frame whose header was read with {@link ResponseHeader#read},
     * in the version of the request it answers. Records in a decoded Fetch response are retained
     * slices of the frame; release them with {@link #release} once consumed.
     */
    public static ApiResponse decode(Frame frame, int version) {
        ApiSpec<?, ?> spec = ApiSpecs.forId(frame.apiKeyId());
        if (spec == null) {
            throw new DecodeException(DecodeError.UNKNOWN_API_KEY, "api key " + frame.apiKeyId()
                    + " is not one this build speaks").inContext("response");
        }
        return spec.decodeResponse(frame.value(), version);
    }

    /** Releases the record buffers a decoded response holds (Fetch); a no-op for other APIs. */
    public static void release(ApiResponse response) {
        release(ApiSpecs.forKey(response.apiKey()), response);
    }

    private static <Q extends Record & ApiRequest, R extends Record & ApiResponse> void release(ApiSpec<Q, R> spec, ApiResponse response) {
        spec.releaseResponse(spec.responseSchema().type().cast(response));
    }
}
