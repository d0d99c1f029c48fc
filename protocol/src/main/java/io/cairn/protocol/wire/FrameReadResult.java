package io.cairn.protocol.wire;

/**
 * What {@link FrameReader#read} found at the start of the cumulation: a whole {@link Frame}, a
 * {@link FrameError}, or {@link #NEED_MORE_BYTES}. Branch on {@link #kind()}.
 */
public sealed interface FrameReadResult permits Frame, FrameError, FrameReadResult.NeedMoreBytes {

    /** The cumulation holds no whole frame yet; nothing was consumed. */
    FrameReadResult NEED_MORE_BYTES = new NeedMoreBytes();

    /** The three outcomes. */
    enum Kind { FRAME, NEED_MORE_BYTES, ERROR }

    /** Which outcome this is. */
    Kind kind();

    /** The "need more bytes" outcome; a singleton, {@link #NEED_MORE_BYTES}. */
    final class NeedMoreBytes implements FrameReadResult {
        private NeedMoreBytes() {
        }

        @Override
        public Kind kind() {
            return Kind.NEED_MORE_BYTES;
        }

        @Override
        public String toString() {
            return "NEED_MORE_BYTES";
        }
    }
}
