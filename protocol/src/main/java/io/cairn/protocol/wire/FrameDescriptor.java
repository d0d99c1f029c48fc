package io.cairn.protocol.wire;

/**
 * Byte layout of a Cairn frame and of the request and response headers inside it. All integers
 * are big-endian.
 *
 * <pre>
 *  frame
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |R|        apiKey (u15)         |          length (u32) ...     |  0   R = 1 on responses
 *  +-------------------------------+-------------------------------+
 *  |      ... length             |  value (length bytes) ...       |  4
 *  +-------------------------------+-------------------------------+
 *
 *  request value                             response value
 *  +------------------------------+          +------------------------------+
 *  | apiVersion (u16)         @0  |          | correlationId (i32)      @0  |
 *  | correlationId (i32)      @2  |          | body                     @4  |
 *  | clientId (str?: u16 + N) @6  |          |   errorCode (i16)            |
 *  | body                         |          |   errorMessage (str?)        |
 *  +------------------------------+          |   ... the API's fields       |
 *                                            +------------------------------+
 * </pre>
 *
 * {@code length} counts the value only, not the 6-byte frame header. It is checked against
 * {@code max.frame.bytes} before anything is allocated for the value.
 */
public final class FrameDescriptor {
    public static final int TYPE_OFFSET = 0;
    public static final int TYPE_LENGTH = 2;
    public static final int LENGTH_OFFSET = TYPE_OFFSET + TYPE_LENGTH;
    public static final int LENGTH_LENGTH = 4;
    public static final int VALUE_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
    /** Bytes before the value: type + length. */
    public static final int HEADER_LENGTH = VALUE_OFFSET;

    /** Set in the type of every response frame; the low 15 bits are the API key. */
    public static final int RESPONSE_FLAG = 0x8000;
    /** Mask of the API key within the frame type. */
    public static final int API_KEY_MASK = 0x7FFF;

    // Request value, offsets relative to the start of the value.
    public static final int REQUEST_API_VERSION_OFFSET = 0;
    public static final int REQUEST_API_VERSION_LENGTH = 2;
    public static final int REQUEST_CORRELATION_ID_OFFSET = REQUEST_API_VERSION_OFFSET + REQUEST_API_VERSION_LENGTH;
    public static final int REQUEST_CORRELATION_ID_LENGTH = 4;
    public static final int REQUEST_CLIENT_ID_OFFSET = REQUEST_CORRELATION_ID_OFFSET + REQUEST_CORRELATION_ID_LENGTH;
    /** The fewest bytes a request value can have: version, correlation id, a null client id. */
    public static final int REQUEST_HEADER_MIN_LENGTH = REQUEST_CLIENT_ID_OFFSET + 2;

    // Response value, offsets relative to the start of the value.
    public static final int RESPONSE_CORRELATION_ID_OFFSET = 0;
    public static final int RESPONSE_CORRELATION_ID_LENGTH = 4;
    public static final int RESPONSE_BODY_OFFSET = RESPONSE_CORRELATION_ID_OFFSET + RESPONSE_CORRELATION_ID_LENGTH;
    /** Every response body starts with errorCode (i16) then errorMessage (str?). */
    public static final int RESPONSE_ERROR_CODE_LENGTH = 2;

    /** Default {@code max.frame.bytes}: 100 MiB, as Kafka's {@code socket.request.max.bytes}. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

    private FrameDescriptor() {
    }

    /** The frame type of a response to {@code apiKey}. */
    public static int responseType(int apiKey) {
        return apiKey | RESPONSE_FLAG;
    }

    /** Whether a frame type marks a response. */
    public static boolean isResponse(int type) {
        return (type & RESPONSE_FLAG) != 0;
    }
}
