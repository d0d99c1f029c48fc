package io.cairn.protocol.wire;

import io.cairn.protocol.types.DecodeError;
import io.cairn.protocol.types.DecodeException;
import io.cairn.protocol.types.MessageWriter;
import io.cairn.protocol.types.Types;
import io.netty.buffer.ByteBuf;

/**
 * The header of a response: the API key (the frame type without {@link FrameDescriptor#RESPONSE_FLAG})
 * and the correlation id of the request it answers. The client looks up the pending request by
 * correlation id (responses may come out of order) and decodes the body in that request's version.
 *
 * @param apiKeyId      the API key from the frame type
 * @param correlationId the request's correlation id
 */
public record ResponseHeader(int apiKeyId, int correlationId) {
    private static final String CONTEXT = "response header";

    /** The API, or null when {@link #apiKeyId} is not one this build knows. */
    public ApiKey apiKey() {
        return ApiKey.forId(apiKeyId);
    }

    /**
     * Reads the header from a response frame, leaving the value's reader index at the body.
     *
     * @throws DecodeException WRONG_FRAME_TYPE for a request frame, TRUNCATED for a short value
     */
    public static ResponseHeader read(Frame frame) {
        if (!frame.isResponse()) {
            throw new DecodeException(DecodeError.WRONG_FRAME_TYPE, "frame type 0x" + Integer.toHexString(frame.type())
                    + " lacks the response flag; expected a response").inContext(CONTEXT);
        }
        ByteBuf in = frame.value();
        try {
            int correlationId = (Integer) Types.INT32.read(in, 0);
            return new ResponseHeader(frame.apiKeyId(), correlationId);
        } catch (DecodeException e) {
            throw e.atField("correlationId").inContext(CONTEXT);
        }
    }

    /** Writes the header fields that live in the value (the correlation id). */
    public void write(MessageWriter out) {
        Types.INT32.write(out, correlationId, 0);
    }
}
