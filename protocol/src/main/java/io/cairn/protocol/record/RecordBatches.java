package io.cairn.protocol.record;

import static io.cairn.protocol.record.RecordBatchDescriptor.HEADER_SIZE;
import static io.cairn.protocol.record.RecordBatchDescriptor.LOG_OVERHEAD;
import static io.cairn.protocol.record.RecordBatchDescriptor.MIN_BATCH_LENGTH;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates back-to-back batches in {@code buffer[from, to)} through one reused
 * {@link RecordBatch} flyweight: the walk allocates nothing, and the flyweight returned by
 * {@link #next()} is valid until the following call.
 *
 * <p>Only batch sizes are looked at (not magic or CRC). The walk stops cleanly, with
 * {@link #hasNext()} false, when the bytes left cannot hold a whole batch: fewer than 12 bytes,
 * or a batch whose {@code batchLength} runs past {@code to} (a partial trailing batch, as at the
 * end of a fetch response or a crashed segment). {@link #position()} then tells where the
 * complete batches end. A length field below the 49-byte minimum cannot be stepped over and is
 * reported by {@link #hasNext()} as an {@link InvalidRecordBatchException}
 * ({@code BATCH_LENGTH_TOO_SMALL}).
 *
 * <pre>{@code
 * RecordBatches batches = new RecordBatches().reset(buffer, 0, buffer.limit());
 * while (batches.hasNext()) {
 *     RecordBatch batch = batches.next();
 *     ...
 * }
 * int validEnd = batches.position();
 * }</pre>
 *
 * Not thread-safe.
 */
public final class RecordBatches implements Iterator<RecordBatch>, Iterable<RecordBatch> {
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buffer;
    private int position;
    private int to;
    private int count;

    /** An iterator over nothing; call {@link #reset} first. */
    public RecordBatches() {
    }

    /** Iterates the batches between the buffer's position and limit (allocates this iterator). */
    public static RecordBatches of(ByteBuffer buffer) {
        return new RecordBatches().reset(buffer, buffer.position(), buffer.limit());
    }

    /**
     * Restarts the walk over {@code buffer[from, to)}. The buffer's position and limit are not used
     * or moved.
     *
     * @return this
     */
    public RecordBatches reset(ByteBuffer buffer, int from, int to) {
        if (from < 0 || to < from || to > buffer.limit()) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside buffer limit=" + buffer.limit());
        }
        this.buffer = buffer;
        this.position = from;
        this.to = to;
        this.count = 0;
        return this;
    }

    /**
     * True if a whole batch starts at {@link #position()}.
     *
     * @throws InvalidRecordBatchException ({@code BATCH_LENGTH_TOO_SMALL}) if the length field
     *                                     there is below the minimum
     */
    @Override
    public boolean hasNext() {
        int remaining = to - position;
        if (remaining < LOG_OVERHEAD) {
            return false;
        }
        int size = RecordBatch.sizeInBytes(buffer, position);
        if (size < HEADER_SIZE) {
            throw new InvalidRecordBatchException(InvalidRecordBatchException.Reason.BATCH_LENGTH_TOO_SMALL,
                    "batch " + count + " at position=" + position + ": batchLength=" + (size - LOG_OVERHEAD)
                            + " expected >= " + MIN_BATCH_LENGTH);
        }
        return size <= remaining;
    }

    /** The next batch (the reused flyweight), advancing past it. */
    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no whole batch at position=" + position + " (end=" + to + ")");
        }
        batch.wrap(buffer, position);
        position += batch.sizeInBytes();
        count++;
        return batch;
    }

    /** Position of the next batch; once {@link #hasNext()} is false, the end of the whole batches. */
    public int position() {
        return position;
    }

    /** Bytes from {@link #position()} to the end of the range: the partial tail once the walk is over. */
    public int remaining() {
        return to - position;
    }

    /** Batches returned since the last reset. */
    public int count() {
        return count;
    }

    /** This iterator itself: a for-each loop walks the batches once. */
    @Override
    public Iterator<RecordBatch> iterator() {
        return this;
    }
}
