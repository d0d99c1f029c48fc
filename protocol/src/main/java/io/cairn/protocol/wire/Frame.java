package io.cairn.protocol.wire;

import io.netty.buffer.ByteBuf;

/**
 * One whole frame cut from the input: its type (the API key, with {@link FrameDescriptor#RESPONSE_FLAG}
 * on responses) and its value, a retained slice of the cumulation (no copy). The receiver owns
 * the value and must release it ({@link #release()}) once decoded; decoding retains what it keeps.
 *
 * @param type  the u16 frame type
 * @param value the value bytes, readable from its reader index
 */
public record Frame(int type, ByteBuf value) implements FrameReadResult {

    @Override
    public Kind kind() {
        return Kind.FRAME;
    }

    /** Whether the response flag is set. */
    public boolean isResponse() {
        return FrameDescriptor.isResponse(type);
    }

    /** The API key, without the response flag. */
    public int apiKeyId() {
        return type & FrameDescriptor.API_KEY_MASK;
    }

    /** Releases the value. */
    public void release() {
        value.release();
    }
}
