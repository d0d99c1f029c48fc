package io.cairn.protocol.types;

/**
 * Why bytes could not be decoded: the code carried by every {@link DecodeException}, so callers
 * can tell the problems apart without parsing messages.
 */
public enum DecodeError {
    /** A fixed-width field needs more bytes than remain. */
    TRUNCATED,
    /** A string, bytes or array length claims more bytes than remain (checked before allocating). */
    LENGTH_EXCEEDS_REMAINING,
    /** A length is negative and not the null marker. */
    NEGATIVE_LENGTH,
    /** The null marker appeared where the schema does not allow null. */
    NULL_NOT_ALLOWED,
    /** A value outside its domain, such as a boolean byte other than 0 or 1. */
    INVALID_VALUE,
    /** Bytes remain after the last field of the message. */
    TRAILING_BYTES,
    /** The frame type is not a known API key. */
    UNKNOWN_API_KEY,
    /** The API is known but not in the requested version. */
    UNSUPPORTED_VERSION,
    /** A response frame where a request was expected, or the reverse. */
    WRONG_FRAME_TYPE
}
