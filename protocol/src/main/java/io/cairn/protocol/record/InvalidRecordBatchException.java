package io.cairn.protocol.record;

import java.util.Objects;

/**
 * A record batch, or a buffer of batches, broke the v2 format: corruption or a malformed
 * produce request. {@link #reason()} says which rule was broken (one distinct value per rule, so
 * callers can map it to an error code or a metric); the message names the batch index, the
 * position in the buffer, the field, and the value found against the value expected.
 */
public class InvalidRecordBatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which format rule a batch broke. */
    public enum Reason {
        /** Fewer bytes than a batch's 12-byte log overhead remain after the last whole batch. */
        TRAILING_BYTES,
        /** A batch's {@code batchLength} runs past the end of the buffer. */
        TRUNCATED_BATCH,
        /** {@code batchLength} is smaller than the 49 bytes of a batch header. */
        BATCH_LENGTH_TOO_SMALL,
        /** The batch is larger than the configured maximum batch size. */
        BATCH_TOO_LARGE,
        /** {@code magic} is not 2. */
        INVALID_MAGIC,
        /** The stored CRC32C does not match the bytes from {@code attributes} to the end. */
        CRC_MISMATCH,
        /** The compression id in the attributes is not 0 to 4. */
        UNKNOWN_COMPRESSION,
        /** The compressed records could not be decompressed. */
        DECOMPRESSION_FAILED,
        /** The records decompress to more bytes than the configured limit (a zip bomb). */
        DECOMPRESSED_TOO_LARGE,
        /** {@code recordCount} is negative or larger than the records section could hold. */
        INVALID_RECORD_COUNT,
        /** The number of records present differs from {@code recordCount}. */
        RECORD_COUNT_MISMATCH,
        /** A producer batch has no records. */
        EMPTY_BATCH,
        /** Record offset deltas are not 0, 1, 2 … (producer batches) or not strictly increasing. */
        INVALID_OFFSET_DELTA,
        /** {@code lastOffsetDelta} disagrees with the last record's offset delta. */
        LAST_OFFSET_DELTA_MISMATCH,
        /** {@code maxTimestamp} of a create-time batch differs from the largest record timestamp. */
        MAX_TIMESTAMP_MISMATCH,
        /** A record's length prefix disagrees with the fields it holds, or runs past the records. */
        RECORD_LENGTH_MISMATCH,
        /** A varint is longer than 5 bytes (a varlong than 10) or wider than its type. */
        MALFORMED_VARINT,
        /** A key length is below -1 or runs past the record. */
        INVALID_KEY_LENGTH,
        /** A value length is below -1 or runs past the record. */
        INVALID_VALUE_LENGTH,
        /** A header count is negative or larger than the record could hold. */
        INVALID_HEADER_COUNT,
        /** A header key length is negative (header keys cannot be null) or runs past the record. */
        INVALID_HEADER_KEY_LENGTH,
        /** A header value length is below -1 or runs past the record. */
        INVALID_HEADER_VALUE_LENGTH
    }

    private final Reason reason;

    /** A failure for {@code reason} with a message giving the context. */
    public InvalidRecordBatchException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A failure for {@code reason} caused by {@code cause} (a codec error, for example). */
    public InvalidRecordBatchException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The rule that was broken. */
    public Reason reason() {
        return reason;
    }

    /**
     * The same failure with {@code context} (for example "batch 3 at position=4096") put in front
     * of the message; the reason is kept.
     */
    public InvalidRecordBatchException withContext(String context) {
        String message = getMessage();
        String detail = message.substring(reason.toString().length() + 2);
        InvalidRecordBatchException copy = new InvalidRecordBatchException(reason, context + ": " + detail, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
