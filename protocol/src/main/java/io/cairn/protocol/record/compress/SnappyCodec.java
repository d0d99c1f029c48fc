package io.cairn.protocol.record.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

/**
 * snappy (compression id 2): the xerial snappy-java framed stream that Kafka writes with
 * {@code SnappyOutputStream} (32 KiB blocks):
 *
 * <pre>
 *   header := 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00  version:i32(=1)  compatibleVersion:i32(=1)
 *   chunk  := compressedLength:i32  snappyBlock[compressedLength]       (repeated to the end)
 * </pre>
 *
 * Reading is done here rather than with {@code SnappyInputStream}, which allocates whatever a
 * chunk claims to uncompress to (up to 512 MiB): each chunk's declared uncompressed length is
 * checked against the {@link DecompressionBuffer}'s limit before any memory is reserved.
 * A second header in the middle (concatenated streams) is skipped, as snappy-java does. A
 * stream without the header is read as one raw snappy block, as {@code SnappyInputStream} does
 * (some non-Java clients write that).
 */
public final class SnappyCodec implements CompressionCodec {
    /** The single instance. */
    public static final SnappyCodec INSTANCE = new SnappyCodec();

    private static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int HEADER_SIZE = MAGIC.length + 4 + 4;
    private static final int CHUNK_LENGTH_SIZE = 4;

    private SnappyCodec() {
    }

    @Override
    public OutputStream compressTo(OutputStream out) {
        return new SnappyOutputStream(out);
    }

    @Override
    public void decompress(ByteBuffer source, int position, int length, DecompressionBuffer target) throws IOException {
        int end = position + length;
        if (length < HEADER_SIZE || !isHeaderAt(source, position)) {
            uncompressBlock(source, position, length, target, null);
            return;
        }
        int compatibleVersion = getIntBigEndian(source, position + MAGIC.length + 4);
        if (compatibleVersion < 1) {
            throw new IOException("unsupported snappy-java stream compatibleVersion=" + compatibleVersion + " expected >= 1");
        }
        int pos = position + HEADER_SIZE;
        byte[] scratch = null;
        while (pos < end) {
            if (end - pos >= HEADER_SIZE && isHeaderAt(source, pos)) {
                pos += HEADER_SIZE;
                continue;
            }
            if (end - pos < CHUNK_LENGTH_SIZE) {
                throw new IOException("truncated snappy stream: " + (end - pos) + " bytes left where a chunk length is expected");
            }
            int chunkLength = getIntBigEndian(source, pos);
            pos += CHUNK_LENGTH_SIZE;
            if (chunkLength < 0 || chunkLength > end - pos) {
                throw new IOException("corrupt snappy stream: chunk length=" + chunkLength + " but " + (end - pos) + " bytes remain");
            }
            scratch = uncompressBlock(source, pos, chunkLength, target, scratch);
            pos += chunkLength;
        }
    }

    /** Uncompresses one raw snappy block; returns the scratch array used to copy from a direct buffer. */
    private static byte[] uncompressBlock(ByteBuffer source, int pos, int length, DecompressionBuffer target, byte[] scratch)
            throws IOException {
        byte[] input;
        int inputOffset;
        byte[] copy = scratch;
        if (source.hasArray()) {
            input = source.array();
            inputOffset = source.arrayOffset() + pos;
        } else {
            if (copy == null || copy.length < length) {
                copy = new byte[length];
            }
            source.get(pos, copy, 0, length);
            input = copy;
            inputOffset = 0;
        }
        int uncompressedLength = Snappy.uncompressedLength(input, inputOffset, length);
        if (uncompressedLength < 0) {
            throw new IOException("corrupt snappy block: uncompressed length=" + uncompressedLength);
        }
        int at = target.reserve(uncompressedLength);
        int written = Snappy.uncompress(input, inputOffset, length, target.array(), at);
        if (written != uncompressedLength) {
            throw new IOException("corrupt snappy block: wrote " + written + " bytes, declared " + uncompressedLength);
        }
        return copy;
    }

    private static boolean isHeaderAt(ByteBuffer source, int position) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (source.get(position + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static int getIntBigEndian(ByteBuffer source, int position) {
        int v = source.getInt(position);
        return source.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }
}
