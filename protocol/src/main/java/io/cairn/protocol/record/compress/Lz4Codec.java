package io.cairn.protocol.record.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * lz4 (compression id 3): the standard LZ4 frame format, as Kafka's
 * {@code KafkaLZ4BlockOutputStream} writes it: 64 KiB independent blocks, no block or content
 * checksum, no content size, correct header checksum, end mark. Reading accepts any valid frame
 * (lz4-java's {@code LZ4FrameInputStream}); block buffers are bounded by the frame's declared
 * maximum block size (at most 4 MiB).
 */
public final class Lz4Codec implements CompressionCodec {
    /** The single instance. */
    public static final Lz4Codec INSTANCE = new Lz4Codec();

    private Lz4Codec() {
    }

    @Override
    public OutputStream compressTo(OutputStream out) throws IOException {
        return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
    }

    @Override
    public void decompress(ByteBuffer source, int position, int length, DecompressionBuffer target) throws IOException {
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteBufferInputStream(source, position, length))) {
            target.readFully(in);
        } catch (RuntimeException e) {
            // lz4-java reports malformed blocks as LZ4Exception (unchecked).
            throw new IOException("corrupt lz4 frame: " + e.getMessage(), e);
        }
    }
}
