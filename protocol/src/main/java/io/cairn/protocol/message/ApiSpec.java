package io.cairn.protocol.message;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.EncodeException;
import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Schema;
import io.cairn.protocol.types.Types;
import io.cairn.protocol.types.Versions;
import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.protocol.wire.FrameDescriptor;
import io.cairn.protocol.wire.FrameWriter;
import io.cairn.protocol.wire.RequestHeader;
import io.cairn.protocol.wire.ResponseHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * One API: its key, the versions Cairn speaks, and the schemas of its request and response, from
 * which its encoders, decoders and protocol tables all derive. Typed entry points for code that
 * knows which API it handles; {@link RequestCodec} and {@link ResponseCodec} dispatch on the key.
 * Immutable and thread-safe; the instances live in {@link ApiSpecs}.
 *
 * @param <Q> the request record
 * @param <R> the response record
 */
public final class ApiSpec<Q extends Record & ApiRequest, R extends Record & ApiResponse> {
    private final ApiKey apiKey;
    private final Versions versions;
    private final Schema<Q> request;
    private final Schema<R> response;
    private final String doc;

    ApiSpec(ApiKey apiKey, Versions versions, Schema<Q> request, Schema<R> response, String doc) {
        this.apiKey = apiKey;
        this.versions = versions;
        this.request = request;
        this.response = response;
        this.doc = doc;
        List<Field> fields = response.fields();
        if (fields.size() < 3
                || !fields.get(0).name().equals("errorCode") || fields.get(0).type() != Types.INT16
                || !fields.get(1).name().equals("errorMessage") || fields.get(1).type() != Types.NULLABLE_STRING
                || !fields.get(0).versions().equals(Versions.ALL) || !fields.get(1).versions().equals(Versions.ALL)) {
            throw new IllegalArgumentException(response.name()
                    + ": a response must start with errorCode:int16, errorMessage:str? in all versions, then more fields");
        }
    }

    public ApiKey apiKey() {
        return apiKey;
    }

    /** The versions Cairn speaks; every one of them is answered. */
    public Versions versions() {
        return versions;
    }

    public Schema<Q> requestSchema() {
        return request;
    }

    public Schema<R> responseSchema() {
        return response;
    }

    /** What the API does, for the protocol document. */
    public String doc() {
        return doc;
    }

    /** The highest version Cairn speaks. */
    public int latestVersion() {
        return versions.highest();
    }

    /**
     * Decodes a request body in {@code version} from {@code in}, which must hold exactly the body.
     * Records in a decoded Produce request are retained slices of {@code in}: release them with
     * {@link #releaseRequest} (or the request's own helper) once consumed.
     *
     * @throws DecodeException UNSUPPORTED_VERSION, or any body problem with the field named
     */
    public Q decodeRequest(ByteBuf in, int version) {
        checkVersion(version);
        return decodeBody(request, in, version, context(version));
    }

    /**
     * Decodes a response body in {@code version} (the version of the request it answers). An
     * error-only body yields a response with every other field at its default.
     */
    public R decodeResponse(ByteBuf in, int version) {
        String context = context(version) + " response";
        if (!versions.contains(version)) {
            throw new DecodeException(DecodeError.UNSUPPORTED_VERSION, "version " + version
                    + " is not one of " + versions).inContext(context);
        }
        if (isErrorOnly(in)) {
            short errorCode = in.readShort();
            String message = (String) Types.NULLABLE_STRING.read(in, version);
            return response.withDefaults(errorCode, message);
        }
        return decodeBody(response, in, version, context);
    }

    private static <T extends Record> T decodeBody(Schema<T> schema, ByteBuf in, int version, String context) {
        T value;
        try {
            value = schema.read(in, version);
        } catch (DecodeException e) {
            throw e.inContext(context);
        }
        if (in.isReadable()) {
            int trailing = in.readableBytes();
            schema.release(value);
            throw new DecodeException(DecodeError.TRAILING_BYTES, trailing + " bytes remain after the last field")
                    .inContext(context);
        }
        return value;
    }

    /** errorCode != 0, then a string that ends exactly where the body ends. */
    private static boolean isErrorOnly(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < 4 || in.getShort(start) == 0) {
            return false;
        }
        int length = in.getUnsignedShort(start + 2);
        int stringBytes = length == 0xFFFF ? 0 : length;
        return in.readableBytes() == 4 + stringBytes;
    }

    /** Encodes a request frame (header and body). Records are sent as chunks, not copied. */
    public EncodedFrame encodeRequest(ByteBufAllocator alloc, Q body, int version, int correlationId, String clientId) {
        checkVersionForEncode(version);
        MessageWriter out = FrameWriter.start(alloc, apiKey.id());
        try {
            new RequestHeader(apiKey.id(), version, correlationId, clientId).write(out);
            request.write(out, body, version);
        } catch (RuntimeException e) {
            out.abort();
            throw e instanceof EncodeException ee ? ee.inContext(context(version)) : e;
        }
        return FrameWriter.finish(out);
    }

    /** Encodes a response frame. File-backed records travel as {@code FileSlice} chunks. */
    public EncodedFrame encodeResponse(ByteBufAllocator alloc, R body, int version, int correlationId) {
        checkVersionForEncode(version);
        MessageWriter out = FrameWriter.start(alloc, FrameDescriptor.responseType(apiKey.id()));
        try {
            new ResponseHeader(apiKey.id(), correlationId).write(out);
            response.write(out, body, version);
        } catch (RuntimeException e) {
            out.abort();
            throw e instanceof EncodeException ee ? ee.inContext(context(version) + " response") : e;
        }
        return FrameWriter.finish(out);
    }

    /** A response in error-only form as a value: the given error, every other field at its default. */
    public R errorResponse(ErrorCode error, String message) {
        return response.withDefaults(error.code(), message);
    }

    /** Releases the records a decoded request holds (a no-op for APIs without records). */
    public void releaseRequest(Q body) {
        request.release(body);
    }

    /** Releases the records a decoded response holds (a no-op for APIs without records). */
    public void releaseResponse(R body) {
        response.release(body);
    }

    private String context(int version) {
        return apiKey.displayName() + " v" + version;
    }

    private void checkVersion(int version) {
        if (!versions.contains(version)) {
            throw new DecodeException(DecodeError.UNSUPPORTED_VERSION, "version " + version
                    + " is not one of " + versions).inContext(context(version));
        }
    }

    private void checkVersionForEncode(int version) {
        if (!versions.contains(version)) {
            throw new EncodeException("version " + version + " is not one of " + versions).inContext(context(version));
        }
    }

    @Override
    public String toString() {
        return apiKey.displayName() + " " + versions;
    }
}
