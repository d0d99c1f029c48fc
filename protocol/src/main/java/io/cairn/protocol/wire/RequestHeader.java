package io.cairn.protocol.wire;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Types;
import io.netty.buffer.ByteBuf;

/**
 * The header of a request: the API key (the frame type), then at the start of the value the API
 * version, the correlation id and the client id (see {@link FrameDescriptor}).
 *
 * <p>Reading the header does not look at the body, so the broker learns the API, version and
 * correlation id of every request whose header parses, and can answer UNSUPPORTED_VERSION or
 * INVALID_REQUEST even when the body is unknown or broken.
 *
 * @param apiKeyId      the API key from the frame type; may be one Cairn does not know
 * @param apiVersion    the API version, 0 to 65535
 * @param correlationId chosen by the client, echoed in the response
 * @param clientId      the client's self-chosen name, may be null
 */
public record RequestHeader(int apiKeyId, int apiVersion, int correlationId, String clientId) {
    private static final String CONTEXT = "request header";

    /** The API, or null when {@link #apiKeyId} is not one Cairn knows. */
    public ApiKey apiKey() {
        return ApiKey.forId(apiKeyId);
    }

    /**
     * Reads the header from a request frame, consuming its bytes from the frame's value so that
     * the value's reader index is left at the start of the body.
     *
     * @throws DecodeException WRONG_FRAME_TYPE for a response frame, TRUNCATED or
     *                         LENGTH_EXCEEDS_REMAINING for a header that does not fit the value;
     *                         the request cannot be answered, the connection should be closed
     */
    public static RequestHeader read(Frame frame) {
        if (frame.isResponse()) {
            throw new DecodeException(DecodeError.WRONG_FRAME_TYPE, "frame type 0x" + Integer.toHexString(frame.type())
                    + " has the response flag set; expected a request").inContext(CONTEXT);
        }
        ByteBuf in = frame.value();
        String field = "apiVersion";
        try {
            int apiVersion = (Integer) Types.UINT16.read(in, 0);
            field = "correlationId";
            int correlationId = (Integer) Types.INT32.read(in, 0);
            field = "clientId";
            String clientId = (String) Types.NULLABLE_STRING.read(in, 0);
            return new RequestHeader(frame.type(), apiVersion, correlationId, clientId);
        } catch (DecodeException e) {
            throw e.atField(field).inContext(CONTEXT);
        }
    }

    /** Writes the header fields that live in the value (not the frame type). */
    public void write(MessageWriter out) {
        Types.UINT16.write(out, apiVersion, 0);
        Types.INT32.write(out, correlationId, 0);
        Types.NULLABLE_STRING.write(out, clientId, 0);
    }

    /** "Produce v0 (correlationId=7, clientId=app)" for logs. */
    public String describe() {
        ApiKey key = apiKey();
        return (key == null ? "api key " + apiKeyId : key.displayName()) + " v" + apiVersion
                + " (correlationId=" + correlationId + ", clientId=" + clientId + ")";
    }
}
