package io.cairn.protocol.wire;

/**
 * A frame header that can never become a valid frame. The stream cannot be resynchronised after
 * it: the connection must be closed (after an error response where one can be made). Nothing was
 * allocated for the frame's value and nothing was consumed.
 *
 * @param reason        what is wrong
 * @param type          the frame type read from the header
 * @param length        the value length read from the header, as an unsigned 32-bit number
 * @param maxFrameBytes the limit in force
 */
public record FrameError(Reason reason, int type, long length, int maxFrameBytes) implements FrameReadResult {

    /** The kinds of frame error. */
    public enum Reason {
        /** The length is a valid size but exceeds {@code max.frame.bytes}. */
        LENGTH_OVER_MAX,
        /** The length is 2^31 or more: negative as a signed i32, never valid. */
        LENGTH_OUT_OF_RANGE
    }

    @Override
    public Kind kind() {
        return Kind.ERROR;
    }

    /** A message naming the frame, the length and the limit. */
    public String message() {
        return switch (reason) {
            case LENGTH_OVER_MAX -> "frame type=" + type + " length=" + length
                    + " exceeds max.frame.bytes=" + maxFrameBytes;
            case LENGTH_OUT_OF_RANGE -> "frame type=" + type + " length=" + length + " (" + (int) length
                    + " as i32) is out of range (expected: 0.." + maxFrameBytes + ")";
        };
    }
}
