package io.cairn.protocol.record.compress;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * zstd (compression id 4): a Zstandard frame written by zstd-jni at level 3 (zstd's default,
 * as in Kafka), through a 16 KiB write buffer. Native buffers come from zstd-jni's recycling pool.
 */
public final class ZstdCodec implements CompressionCodec {
    /** The single instance. */
    public static final ZstdCodec INSTANCE = new ZstdCodec();
    /** zstd's default level, the one Kafka uses unless configured. */
    public static final int DEFAULT_LEVEL = 3;

    private ZstdCodec() {
    }

    @Override
    public OutputStream compressTo(OutputStream out) throws IOException {
        return new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, DEFAULT_LEVEL),
                16 * 1024);
    }

    @Override
    public void decompress(ByteBuffer source, int position, int length, DecompressionBuffer target) throws IOException {
        try (ZstdInputStreamNoFinalizer in = new ZstdInputStreamNoFinalizer(
                new ByteBufferInputStream(source, position, length), RecyclingBufferPool.INSTANCE)) {
            target.readFully(in);
        } catch (RuntimeException e) {
            throw new IOException("corrupt zstd frame: " + e.getMessage(), e);
        }
    }
}
