package io.cairn.protocol.record.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One compression codec in the framing Kafka uses for record batches. Implementations are
 * stateless singletons and thread-safe; the streams they return are not.
 */
public interface CompressionCodec {
    /**
     * Wraps {@code out} so that bytes written to the result are compressed into it. Closing the
     * result finishes the frame and closes {@code out}.
     */
    OutputStream compressTo(OutputStream out) throws IOException;

    /**
     * Decompresses the whole stream in {@code source[position, position + length)} and appends
     * the result to {@code target}. The source's position and limit do not move.
     *
     * @throws DecompressedSizeExceededException if the output would exceed {@code target}'s limit
     * @throws IOException                       if the stream is corrupt or truncated
     */
    void decompress(ByteBuffer source, int position, int length, DecompressionBuffer target) throws IOException;
}
