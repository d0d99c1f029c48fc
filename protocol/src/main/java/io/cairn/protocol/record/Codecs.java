package io.cairn.protocol.record;

import io.cairn.protocol.record.compress.CompressionCodec;
import io.cairn.protocol.record.compress.GzipCodec;
import io.cairn.protocol.record.compress.Lz4Codec;
import io.cairn.protocol.record.compress.SnappyCodec;
import io.cairn.protocol.record.compress.ZstdCodec;

/** Maps a {@link CompressionType} to its codec; each codec class (and native library) loads on first use. */
final class Codecs {
    private Codecs() {
    }

    static CompressionCodec codec(CompressionType type) {
        return switch (type) {
            case GZIP -> GzipCodec.INSTANCE;
            case SNAPPY -> SnappyCodec.INSTANCE;
            case LZ4 -> Lz4Codec.INSTANCE;
            case ZSTD -> ZstdCodec.INSTANCE;
            case NONE -> throw new IllegalArgumentException("no codec for compression type none");
        };
    }
}
