package io.cairn.protocol.record;

import java.nio.ByteBuffer;

/**
 * Variable-length integer codecs used inside records: unsigned LEB128 varints and their zig-zag
 * signed forms, exactly as in Kafka's {@code ByteUtils} and Protocol Buffers.
 *
 * <p>Zig-zag maps signed to unsigned so small magnitudes stay short: 0 → 0, -1 → 1, 1 → 2,
 * -2 → 3 … A varint (32 bit) takes 1 to 5 bytes, a varlong (64 bit) 1 to 10. Each byte carries
 * 7 payload bits, least significant group first; the high bit says another byte follows.
 *
 * <p>Readers are strict: an encoding longer than 5 (10) bytes, or whose last byte carries bits
 * beyond 32 (64), is rejected with {@link IllegalArgumentException}. The relative methods
 * read and write at the buffer's position and advance it. Stateless and thread-safe.
 */
public final class ByteUtils {
    /** Longest encoding of a 32-bit varint. */
    public static final int MAX_VARINT_SIZE = 5;
    /** Longest encoding of a 64-bit varlong. */
    public static final int MAX_VARLONG_SIZE = 10;

    private ByteUtils() {
    }

    /** Zig-zag encodes a signed int: {@code (v << 1) ^ (v >> 31)}. */
    public static int zigZagEncode(int value) {
        return (value << 1) ^ (value >> 31);
    }

    /** Inverse of {@link #zigZagEncode(int)}. */
    public static int zigZagDecode(int encoded) {
        return (encoded >>> 1) ^ -(encoded & 1);
    }

    /** Zig-zag encodes a signed long: {@code (v << 1) ^ (v >> 63)}. */
    public static long zigZagEncode(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /** Inverse of {@link #zigZagEncode(long)}. */
    public static long zigZagDecode(long encoded) {
        return (encoded >>> 1) ^ -(encoded & 1);
    }

    /** Number of bytes {@link #writeUnsignedVarint} uses for {@code value} (treated as unsigned). */
    public static int sizeOfUnsignedVarint(int value) {
        // Each 7 significant bits take one byte; zero still takes one byte.
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        return Math.max(1, (bits + 6) / 7);
    }

    /** Number of bytes {@link #writeUnsignedVarlong} uses for {@code value} (treated as unsigned). */
    public static int sizeOfUnsignedVarlong(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        return Math.max(1, (bits + 6) / 7);
    }

    /** Number of bytes {@link #writeVarint} uses for the signed {@code value}. */
    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint(zigZagEncode(value));
    }

    /** Number of bytes {@link #writeVarlong} uses for the signed {@code value}. */
    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong(zigZagEncode(value));
    }

    /** Writes {@code value} as an unsigned varint at the buffer's position. */
    public static void writeUnsignedVarint(int value, ByteBuffer buffer) {
        int v = value;
        while ((v & 0xFFFFFF80) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /** Writes {@code value} as an unsigned varlong at the buffer's position. */
    public static void writeUnsignedVarlong(long value, ByteBuffer buffer) {
        long v = value;
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /** Writes the signed {@code value} zig-zag encoded at the buffer's position. */
    public static void writeVarint(int value, ByteBuffer buffer) {
        writeUnsignedVarint(zigZagEncode(value), buffer);
    }

    /** Writes the signed {@code value} zig-zag encoded at the buffer's position. */
    public static void writeVarlong(long value, ByteBuffer buffer) {
        writeUnsignedVarlong(zigZagEncode(value), buffer);
    }

    /**
     * Reads an unsigned varint at the buffer's position.
     *
     * @throws IllegalArgumentException if the encoding is longer than 5 bytes or exceeds 32 bits
     * @throws java.nio.BufferUnderflowException if the buffer ends inside the varint
     */
    public static int readUnsignedVarint(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = buffer.get();
            if (shift == 28 && (b & 0xF0) != 0) {
                throw new IllegalArgumentException("varint longer than 5 bytes or wider than 32 bits: last byte=0x"
                        + Integer.toHexString(b & 0xFF));
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Reads an unsigned varlong at the buffer's position.
     *
     * @throws IllegalArgumentException if the encoding is longer than 10 bytes or exceeds 64 bits
     * @throws java.nio.BufferUnderflowException if the buffer ends inside the varlong
     */
    public static long readUnsignedVarlong(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = buffer.get();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new IllegalArgumentException("varlong longer than 10 bytes or wider than 64 bits: last byte=0x"
                        + Integer.toHexString(b & 0xFF));
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Reads a zig-zag encoded signed varint at the buffer's position; see {@link #readUnsignedVarint}. */
    public static int readVarint(ByteBuffer buffer) {
        return zigZagDecode(readUnsignedVarint(buffer));
    }

    /** Reads a zig-zag encoded signed varlong at the buffer's position; see {@link #readUnsignedVarlong}. */
    public static long readVarlong(ByteBuffer buffer) {
        return zigZagDecode(readUnsignedVarlong(buffer));
    }
}
