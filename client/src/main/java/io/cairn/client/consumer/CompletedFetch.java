package io.cairn.client.consumer;

import io.cairn.client.Header;
import io.cairn.client.Headers;
import io.cairn.client.TopicPartition;
import io.cairn.client.errors.CorruptRecordException;
import io.cairn.client.errors.SerializationException;
import io.cairn.client.serialization.Deserializer;
import io.cairn.protocol.record.HeaderCursor;
import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.Record;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.protocol.record.RecordCursor;
import io.cairn.protocol.record.TimestampType;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One partition's part of a fetch response, handed from the network thread to the consumer thread and
 * turned into records a poll at a time. Holds one reference to the response's record bytes until
 * {@link #release}. The walk over batches and records is resumable: a poll may stop mid-batch and
 * the next continues there.
 *
 * <p>Created on the network thread, then used only by the consumer thread.
 */
final class CompletedFetch {
    final TopicPartition topicPartition;
    final long fetchOffset;
    final int positionEpoch;
    final ErrorCode error;
    final String errorMessage;
    final long highWatermark;
    final long logStartOffset;
    private ByteBuf records;
    /**
     * The record bytes as a {@link ByteBuffer}, taken once on the network thread. Which {@link ByteBuf}
     * class holds a response's records varies from fetch to fetch (a slice of a socket read, a pooled
     * frame, an unpooled one for a frame above the pool's chunk size, a leak-tracking wrapper): a call
     * on it inside the per-record loop of {@link #take} would make the JIT's compiled loop fail its
     * class check and be compiled again each time a new class shows up (measured: two to four C2
     * compilations of {@code take} per run at 8 partitions against one at 1 partition).
     */
    private final ByteBuffer view;
    private RecordBatches batches;
    private boolean inBatch;
    private TimestampType batchTimestampType;
    private long batchMaxTimestamp;
    private long batchNextOffset;
    private long nextOffset;
    private boolean drained;
    private RuntimeException pendingError;
    private long endOffset = -2;
    private final AtomicInteger bufferedWithRecords;
    private boolean counted;

    /**
     * @param bufferedWithRecords counts the fetches holding records: incremented here when {@code records}
     *     has bytes, decremented by {@link #release}
     */
    CompletedFetch(TopicPartition topicPartition, long fetchOffset, int positionEpoch, ErrorCode error,
                   String errorMessage, long highWatermark, long logStartOffset, ByteBuf records,
                   AtomicInteger bufferedWithRecords) {
        this.topicPartition = topicPartition;
        this.fetchOffset = fetchOffset;
        this.positionEpoch = positionEpoch;
        this.error = error;
        this.errorMessage = errorMessage;
        this.highWatermark = highWatermark;
        this.logStartOffset = logStartOffset;
        this.records = records;
        this.view = records == null ? null : records.nioBuffer(records.readerIndex(), records.readableBytes());
        this.nextOffset = fetchOffset;
        this.bufferedWithRecords = bufferedWithRecords;
        this.counted = records != null && records.isReadable();
        if (counted) {
            bufferedWithRecords.incrementAndGet();
        }
    }

    /** Bytes of records this fetch carried. */
    int sizeInBytes() {
        return records == null ? 0 : records.readableBytes();
    }

    /** The offset the partition's position moves to once what was returned so far is consumed. */
    long nextOffset() {
        return nextOffset;
    }

    boolean isDrained() {
        return drained;
    }

    /**
     * Whether {@link #take} has anything to do: records not yet walked to their end, or a failure to
     * raise. The consumer thread asks before calling it, so that the compiled {@code take} never sees
     * a fetch without records (a branch it has not seen taken would send it back to the interpreter
     * and to the compiler once more).
     */
    boolean hasWorkForTake() {
        return pendingError != null || !drained && records != null;
    }

    /**
     * The offset the position reaches once every record of this fetch is consumed: the next offset
     * of its last whole batch (at least the fetch offset), or -1 for a fetch with an error or
     * bytes that do not parse. Read from the batch headers once: by the network thread before the
     * fetch is queued, or else by the consumer thread.
     */
    long endOffset() {
        if (endOffset == -2) {
            endOffset = scanEndOffset();
        }
        return endOffset;
    }

    private long scanEndOffset() {
        if (error != ErrorCode.NONE) {
            return -1;
        }
        if (records == null) {
            return fetchOffset;
        }
        long end = fetchOffset;
        try {
            RecordBatches all = new RecordBatches().reset(view, 0, view.limit());
            while (all.hasNext()) {
                end = Math.max(end, all.next().nextOffset());
            }
        } catch (InvalidRecordBatchException e) {
            return -1; // take() reports it; no fetch ahead of bytes that do not parse
        }
        return end;
    }

    /**
     * Adds up to {@code max} records at or after the current offset, deserialized, to {@code out} and
     * returns how many. A batch failing its CRC (when checked) or not parsing raises
     * {@link CorruptRecordException} if no record was added yet in this call; otherwise the records
     * before it are kept and the next call raises.
     */
    <K, V> int take(int max, List<ConsumerRecord<K, V>> out, RecordCursor cursor, boolean checkCrcs,
                    Deserializer<K> keys, Deserializer<V> values) {
        if (pendingError != null) {
            RuntimeException e = pendingError;
            pendingError = null;
            throw e;
        }
        if (drained || records == null) {
            drained = true;
            return 0;
        }
        int taken = 0;
        if (batches == null) {
            batches = new RecordBatches().reset(view, 0, view.limit());
        }
        try {
            while (taken < max) {
                if (!inBatch) {
                    if (!batches.hasNext()) {
                        drained = true;
                        break;
                    }
                    RecordBatch batch = batches.next();
                    if (batch.lastOffset() < nextOffset) {
                        continue; // wholly before the position: the broker returns the batch holding it
                    }
                    if (checkCrcs && !batch.isCrcValid()) {
                        throw crcMismatch(batch);
                    }
                    batchNextOffset = batch.nextOffset();
                    if (batch.isControl()) {
                        nextOffset = batchNextOffset;
                        continue;
                    }
                    batchTimestampType = batch.timestampType();
                    batchMaxTimestamp = batch.maxTimestamp();
                    cursor.reset(batch);
                    inBatch = true;
                }
                if (!cursor.hasNext()) {
                    inBatch = false;
                    nextOffset = Math.max(nextOffset, batchNextOffset);
                    continue;
                }
                Record r = cursor.next();
                if (r.offset() < nextOffset) {
                    continue;
                }
                out.add(toConsumerRecord(r, keys, values));
                nextOffset = r.offset() + 1;
                taken++;
            }
        } catch (CorruptRecordException | SerializationException e) {
            fail(e, taken == 0);
        } catch (InvalidRecordBatchException e) {
            fail(unparsable(e), taken == 0);
        }
        return taken;
    }

    private CorruptRecordException unparsable(InvalidRecordBatchException e) {
        return new CorruptRecordException("batch of " + topicPartition + " near offset " + nextOffset
                + " does not parse: " + e.getMessage(), e);
    }

    /**
     * Stops at a record that cannot be returned: the position stays on it, so the fetch is dropped and
     * the record fetched again (and fails again) until the application seeks past it, as in Kafka.
     */
    private void fail(RuntimeException e, boolean nothingReturned) {
        drained = true;
        inBatch = false;
        if (nothingReturned) {
            throw e;
        }
        pendingError = e;
    }

    /** Whether a failure waits to be raised by the next {@link #take}. */
    boolean hasPendingError() {
        return pendingError != null;
    }

    // The rare paths (headers, failures) live in methods of their own, so the per-record path the JIT
    // compiles and inlines into take() stays small.
    private <K, V> ConsumerRecord<K, V> toConsumerRecord(Record r, Deserializer<K> keys, Deserializer<V> values) {
        byte[] keyBytes = r.hasKey() ? r.copyKey() : null;
        byte[] valueBytes = r.hasValue() ? r.copyValue() : null;
        Headers headers = r.headerCount() == 0 ? Headers.empty() : headers(r);
        String topic = topicPartition.topic();
        K key;
        V value;
        try {
            key = keys.deserialize(topic, headers, keyBytes);
            value = values.deserialize(topic, headers, valueBytes);
        } catch (RuntimeException e) {
            throw deserializationFailure(r.offset(), e);
        }
        long timestamp = batchTimestampType == TimestampType.LOG_APPEND_TIME ? batchMaxTimestamp : r.timestamp();
        return new ConsumerRecord<>(topic, topicPartition.partition(), r.offset(), timestamp, batchTimestampType,
                key, value, headers, keyBytes == null ? -1 : keyBytes.length, valueBytes == null ? -1 : valueBytes.length);
    }

    private static Headers headers(Record r) {
        List<Header> list = new ArrayList<>(r.headerCount());
        HeaderCursor hc = r.headers();
        while (hc.next()) {
            list.add(new Header(hc.key(), hc.copyValue()));
        }
        return Headers.of(list);
    }

    private SerializationException deserializationFailure(long offset, RuntimeException e) {
        if (e instanceof SerializationException) {
            return new SerializationException("record of " + topicPartition + " at offset " + offset + ": "
                    + e.getMessage(), e);
        }
        return new SerializationException("could not deserialize the record of " + topicPartition + " at offset "
                + offset + ": " + e, e);
    }

    private CorruptRecordException crcMismatch(RecordBatch batch) {
        return new CorruptRecordException("batch of " + topicPartition + " at offset " + batch.baseOffset()
                + ": crc=" + batch.crc() + " expected=" + batch.computeCrc()
                + "; seek past offset " + batch.lastOffset() + " to skip it");
    }

    /** Drops the record bytes; safe to call twice. */
    void release() {
        if (records != null) {
            records.release();
            records = null;
        }
        if (counted) {
            counted = false;
            bufferedWithRecords.decrementAndGet();
        }
        drained = true;
    }
}
