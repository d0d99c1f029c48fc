package io.cairn.cli.perf;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The value layout of {@code cairn perf e2e} records:
 *
 * <pre>
 * 0   8  runId           i64  random per run: records of other runs or producers are ignored
 * 8   8  scheduledNanos  i64  System.nanoTime() at which the send was scheduled; producer and consumer share the JVM's clock
 * 16  8  index           i64  0, 1, 2 ... in send order: the first --warmup-records are not measured
 * 24  …  filler              random letters up to the record size
 * </pre>
 *
 * Each {@link #next} returns a new array, so a record is never changed after it was handed to the
 * producer. {@link #next} is for the producing thread; the readers for any thread.
 */
final class E2eProbe {
    static final int RUN_ID_OFFSET = 0;
    static final int SCHEDULED_NANOS_OFFSET = RUN_ID_OFFSET + Long.BYTES;
    static final int INDEX_OFFSET = SCHEDULED_NANOS_OFFSET + Long.BYTES;
    static final int HEADER_SIZE = INDEX_OFFSET + Long.BYTES;

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

    /** The payload of record {@code index}, scheduled at {@code scheduledNanos}. */
    byte[] next(long index, long scheduledNanos) {
        byte[] value = template.clone();
        ByteBuffer.wrap(value).putLong(SCHEDULED_NANOS_OFFSET, scheduledNanos).putLong(INDEX_OFFSET, index);
        return value;
    }

    /** Whether {@code value} is a record of this run. */
    boolean isOurs(byte[] value) {
        return value != null && value.length >= HEADER_SIZE && ByteBuffer.wrap(value).getLong(RUN_ID_OFFSET) == runId;
    }

    /** The scheduled send time of a record of this run. */
    static long scheduledNanos(byte[] value) {
        return ByteBuffer.wrap(value).getLong(SCHEDULED_NANOS_OFFSET);
    }

    /** The send index of a record of this run. */
    static long index(byte[] value) {
        return ByteBuffer.wrap(value).getLong(INDEX_OFFSET);
    }
}
