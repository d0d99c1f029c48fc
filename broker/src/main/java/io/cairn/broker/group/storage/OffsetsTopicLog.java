package io.cairn.broker.group.storage;

import io.cairn.broker.group.record.GroupRecord;
import io.cairn.broker.group.record.GroupRecordCodec;
import io.cairn.broker.group.record.GroupRecordFormatException;
import io.cairn.broker.group.runtime.GroupLog;
import io.cairn.broker.group.shard.GroupCoordinatorShard;
import io.cairn.broker.partition.PartitionLog;
import io.cairn.protocol.record.Header;
import io.cairn.protocol.record.RecordBatchBuilder;
import io.cairn.storage.LogAppendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A partition of {@code __consumer_offsets} as its coordinator shard's {@link GroupLog}: records
 * are appended as uncompressed v2 record batches through storage's log, made durable by its flush
 * service (group commit), and mirrored into the {@link GroupStateView} when one is given.
 *
 * <p>Loading: from the view (if valid and within the log) then the log after the view's offset;
 * otherwise the whole partition, after which the view is rewritten. Replay is the same code path
 * as live operations ({@link GroupCoordinatorShard#replay}).
 *
 * <p>Assumes nothing else appends to the partition. Confined to the shard's thread (the loader's
 * before the shard is handed over); {@link #durable} futures complete on the flush thread.
 */
public final class OffsetsTopicLog implements GroupLog {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetsTopicLog.class);
    private static final Header[] NO_HEADERS = new Header[0];

    private final int partition;
    private final PartitionLog log;
    private final GroupStateView view;
    private final LongSupplier clockMs;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private LoadStats lastLoad;

    /**
     * @param view the view to load from and keep up to date, or null to load from the log alone
     */
    public OffsetsTopicLog(int partition, PartitionLog log, GroupStateView view, LongSupplier clockMs) {
        this.partition = partition;
        this.log = log;
        this.view = view;
        this.clockMs = clockMs;
    }

    /** What the last {@link #load} did. */
    public record LoadStats(boolean fromView, long viewEntries, long logRecords, long skippedRecords,
                            long fromOffset, long endOffset) {
    }

    @Override
    public long load(GroupCoordinatorShard shard) throws IOException {
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        long from = start;
        long[] viewEntries = {0};
        boolean viewUsed = false;
        if (view != null) {
            OptionalLong applied = view.appliedOffset();
            if (applied.isPresent() && applied.getAsLong() >= start && applied.getAsLong() <= end) {
                viewUsed = replayView(shard, viewEntries);
                if (viewUsed) {
                    from = applied.getAsLong();
                } else {
                    shard.clear();
                    viewEntries[0] = 0;
                }
            } else if (applied.isPresent()) {
                LOG.info("partition={} of __consumer_offsets: view reflects offset {} outside the log [{}, {}]; "
                        + "rebuilding it", partition, applied.getAsLong(), start, end);
            }
        }
        Map<ByteBuffer, byte[]> latest = view != null && !viewUsed ? new HashMap<>() : null;
        List<EncodedRecord> tail = view != null && viewUsed ? new ArrayList<>() : null;
        long[] counts = {0, 0};
        OffsetsTopicReader.read(log, from, end, (offset, key, value) -> {
            GroupRecord record;
            try {
                record = GroupRecordCodec.decode(key, value);
            } catch (GroupRecordFormatException e) {
                throw new GroupRecordFormatException("partition=" + partition + " of __consumer_offsets, offset "
                        + offset + ": " + e.getMessage());
            }
            if (record == null) {
                counts[1]++;
                return;
            }
            counts[0]++;
            shard.replay(record);
            if (latest != null || tail != null) {
                EncodedRecord encoded = new EncodedRecord(bytes(key), value == null ? null : bytes(value));
                if (latest != null) {
                    if (encoded.value() == null) {
                        latest.remove(ByteBuffer.wrap(encoded.key()));
                    } else {
                        latest.put(ByteBuffer.wrap(encoded.key()), encoded.value());
                    }
                } else {
                    tail.add(encoded);
                }
            }
        });
        if (latest != null) {
            view.rewrite(latest, end);
        } else if (tail != null && !tail.isEmpty()) {
            view.apply(tail, end);
        }
        if (counts[1] > 0) {
            LOG.warn("partition={} of __consumer_offsets: skipped {} records of unknown types (written by a newer "
                    + "version)", partition, counts[1]);
        }
        lastLoad = new LoadStats(viewUsed, viewEntries[0], counts[0], counts[1], from, end);
        return end;
    }

    private boolean replayView(GroupCoordinatorShard shard, long[] entries) {
        try {
            return view.forEachEntry((key, value) -> {
                GroupRecord record = GroupRecordCodec.decode(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
                if (record != null) {
                    shard.replay(record);
                    entries[0]++;
                }
            });
        } catch (GroupRecordFormatException | IllegalStateException e) {
            LOG.warn("partition={} of __consumer_offsets: view does not load ({}); rebuilding it from the log",
                    partition, e.getMessage());
            return false;
        }
    }

    public LoadStats lastLoad() {
        return lastLoad;
    }

    @Override
    public long append(List<GroupRecord> records) throws IOException {
        List<EncodedRecord> encoded = new ArrayList<>(records.size());
        for (GroupRecord record : records) {
            encoded.add(EncodedRecord.of(record));
        }
        LogAppendResult result = log.append(batchesOf(encoded, clockMs.getAsLong()));
        long end = result.lastOffset() + 1;
        if (view != null) {
            view.apply(encoded, end);
        }
        return end;
    }

    /** The records as one batch, or several when one would exceed the partition's max.message.bytes. */
    private ByteBuffer batchesOf(List<EncodedRecord> records, long timestampMs) {
        int maxBatchBytes = log.maxMessageBytes();
        List<ByteBuffer> batches = new ArrayList<>(1);
        builder.reset();
        for (EncodedRecord record : records) {
            if (!builder.isEmpty() && !builder.hasRoomFor(timestampMs, record.key(), record.value(), NO_HEADERS,
                    maxBatchBytes)) {
                batches.add(copy(builder.build()));
                builder.reset();
            }
            builder.append(timestampMs, record.key(), record.value());
        }
        ByteBuffer last = builder.build();
        if (batches.isEmpty()) {
            return last;
        }
        batches.add(last);
        int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        batches.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    @Override
    public CompletableFuture<Void> durable(long endOffset) {
        if (endOffset <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return log.flushedThrough(endOffset - 1);
    }

    @Override
    public void close() {
        // The storage log belongs to the log manager; nothing of ours to release.
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer out = ByteBuffer.allocate(buffer.remaining());
        out.put(buffer.duplicate());
        return out.flip();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
