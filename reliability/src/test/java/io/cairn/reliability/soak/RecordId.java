package io.cairn.reliability.soak;

import java.nio.ByteBuffer;

/**
 * The identity a soak producer writes at the start of every value: which stream (one producer
 * writing one topic) and which sequence number in it, so a consumer can tell every record apart.
 *
 * <pre>
 *  0        4                 12
 *  +--------+-----------------+---------------------+
 *  | stream |  sequence (i64) |  padding (zeros)... |
 *  +--------+-----------------+---------------------+
 * </pre>
 *
 * <p>Stateless.
 */
final class RecordId {
    static final int STREAM_OFFSET = 0;
    static final int SEQUENCE_OFFSET = STREAM_OFFSET + Integer.BYTES;
    static final int LENGTH = SEQUENCE_OFFSET + Long.BYTES;

    private RecordId() {
    }

    /** A value of {@code valueBytes} (at least {@link #LENGTH}) carrying the stream and sequence. */
    static byte[] encode(int stream, long sequence, int valueBytes) {
        if (valueBytes < LENGTH) {
            throw new IllegalArgumentException("valueBytes=" + valueBytes + " below the id length " + LENGTH);
        }
        byte[] value = new byte[valueBytes];
        ByteBuffer.wrap(value).putInt(STREAM_OFFSET, stream).putLong(SEQUENCE_OFFSET, sequence);
        return value;
    }

    static int stream(byte[] value) {
        checkLength(value);
        return ByteBuffer.wrap(value).getInt(STREAM_OFFSET);
    }

    static long sequence(byte[] value) {
        checkLength(value);
        return ByteBuffer.wrap(value).getLong(SEQUENCE_OFFSET);
    }

    private static void checkLength(byte[] value) {
        if (value == null || value.length < LENGTH) {
            throw new IllegalArgumentException("a soak value holds at least " + LENGTH + " bytes, got "
                    + (value == null ? "null" : value.length + " bytes"));
        }
    }
}
