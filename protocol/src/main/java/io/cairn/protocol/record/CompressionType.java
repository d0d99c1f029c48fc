package io.cairn.protocol.record;

import java.util.Locale;

/**
 * The compression codec of a record batch: bits 0-2 of the batch attributes. Ids and names are
 * Kafka's, so {@code compression.type} values and stored batches mean the same thing.
 *
 * <p>The stream framing of each codec is the one Kafka writes: gzip = a GZIP stream (RFC 1952),
 * snappy = the xerial snappy-java framed stream, lz4 = the LZ4 frame format, zstd = a zstd frame.
 * Ids 5 to 7 are unassigned; a batch carrying one is invalid.
 */
public enum CompressionType {
    /** No compression: the records follow the header as they are. */
    NONE(0, "none"),
    /** GZIP stream ({@code java.util.zip}). */
    GZIP(1, "gzip"),
    /** xerial snappy-java framed stream ({@code SnappyOutputStream}). */
    SNAPPY(2, "snappy"),
    /** LZ4 frame format with independent 64 KiB blocks. */
    LZ4(3, "lz4"),
    /** Zstandard frame. */
    ZSTD(4, "zstd");

    private static final CompressionType[] BY_ID = values();

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The id stored in the attribute bits 0-2. */
    public int id() {
        return id;
    }

    /** The lower-case name used in configuration: none, gzip, snappy, lz4, zstd. */
    public String configName() {
        return configName;
    }

    /** True if the id is one of the five assigned codecs. */
    public static boolean isKnownId(int id) {
        return id >= 0 && id < BY_ID.length;
    }

    /**
     * The codec with this id.
     *
     * @throws IllegalArgumentException naming the id if it is not 0 to 4
     */
    public static CompressionType forId(int id) {
        if (!isKnownId(id)) {
            throw new IllegalArgumentException("unknown compression type id " + id + " (expected: 0 to " + (BY_ID.length - 1) + ")");
        }
        return BY_ID[id];
    }

    /**
     * The codec with this name, case-insensitive ("GZIP" and "gzip" both work).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static CompressionType forName(String name) {
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (CompressionType type : BY_ID) {
                if (type.configName.equals(lower)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("unknown compression type '" + name
                + "' (expected one of: none, gzip, snappy, lz4, zstd)");
    }

    @Override
    public String toString() {
        return configName;
    }
}
