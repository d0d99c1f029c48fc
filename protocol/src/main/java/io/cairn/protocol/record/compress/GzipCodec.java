package io.cairn.protocol.record.compress;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip (compression id 1): a GZIP stream (RFC 1952) as {@code java.util.zip} writes it, with the
 * buffer sizes Kafka uses (8 KiB deflater buffer behind a 16 KiB write buffer).
 */
public final class GzipCodec implements CompressionCodec {
    /** The single instance. */
    public static final GzipCodec INSTANCE = new GzipCodec();

    private GzipCodec() {
    }

    @Override
    public OutputStream compressTo(OutputStream out) throws IOException {
        return new BufferedOutputStream(new GZIPOutputStream(out, 8 * 1024), 16 * 1024);
    }

    @Override
    public void decompress(ByteBuffer source, int position, int length, DecompressionBuffer target) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteBufferInputStream(source, position, length), 8 * 1024)) {
            target.readFully(in);
        }
    }
}
