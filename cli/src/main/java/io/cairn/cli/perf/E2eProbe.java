package io.cairn.cli.perf;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The value layout of {@code cairn perf e2e} records:
 *
 * <pre>
 * 0   8  runId      i64  random per run: records of other runs or producers are ignored
 * 8   8  sendNanos  i64  System.nanoTime() just before send(); producer and consumer share the JVM's clock
 * 16  …  filler         random letters up to the record size
 * </pre>
 *
 * Each {@link #next} returns a new array, so a record is never changed after it was handed to the
 * producer. Used by the producing thread only; {@link #latencyNanos} by any thread.
 */
final class E2eProbe {
    static final int RUN_ID_OFFSET = 0;
    static final int SEND_NANOS_OFFSET = RUN_ID_OFFSET + Long.BYTES;
    static final int HEADER_SIZE = SEND_NANOS_OFFSET + Long.BYTES;

    private final long runId;
    private final byte[] template;

    E2eProbe(long runId, int recordSize, Random random) {
        if (recordSize < HEADER_SIZE) {
            throw new IllegalArgumentException("record size must be >= " + HEADER_SIZE + " bytes, got " + recordSize);
        }
        this.runId = runId;
        this.template = Payloads.randomLetters(recordSize, random);
        ByteBuffer.wrap(template).putLong(RUN_ID_OFFSET, runId);
    }

    /** A payload stamped with {@code sendNanos}. */
    byte[] next(long sendNanos) {
        byte[] value = template.clone();
        ByteBuffer.wrap(value).putLong(SEND_NANOS_OFFSET, sendNanos);
        return value;
    }

    /** Nanoseconds from the send of {@code value} to {@code nowNanos}, or -1 when it is not a record of this run. */
    long latencyNanos(byte[] value, long nowNanos) {
        if (value == null || value.length < HEADER_SIZE) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.getLong(RUN_ID_OFFSET) != runId) {
            return -1;
        }
        return Math.max(0, nowNanos - buffer.getLong(SEND_NANOS_OFFSET));
    }
}
