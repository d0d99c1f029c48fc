package io.cairn.protocol.record.compress;

import java.io.IOException;

/** Decompressed output would pass the configured limit: a zip bomb or an oversized batch. */
public final class DecompressedSizeExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    /** The output needed more than {@code limitBytes}. */
    public DecompressedSizeExceededException(long limitBytes, long requiredBytes) {
        super("decompressed size exceeds limit: at least " + requiredBytes + " bytes, limit=" + limitBytes);
        this.limitBytes = limitBytes;
    }

    /** The limit that was broken. */
    public long limitBytes() {
        return limitBytes;
    }
}
