package io.cairn.broker.partition;

import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatches;
import io.cairn.storage.LogAppendResult;
import io.cairn.storage.LogReadResult;
import io.cairn.storage.TimestampOffset;
import io.cairn.storage.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-file log for testing the data-path services without storage: batches are written to a
 * real file (so fetches return real file slices), an in-memory map stands in for the indexes,
 * and flushes complete only when the test calls {@link #flush()} (or at once in auto-flush mode).
 */
public final class FileTestLog implements PartitionLog {
    private record Entry(long position, int size, long lastOffset, long maxTimestamp) {
    }

    private final TopicPartition tp;
    private final FileChannel channel;
    private final ConcurrentSkipListMap<Long, Entry> batches = new ConcurrentSkipListMap<>();
    private final List<Map.Entry<Long, CompletableFuture<Void>>> flushWaiters = new ArrayList<>();
    private final RecordBatches walk = new RecordBatches();
    private final AtomicInteger appends = new AtomicInteger();
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long flushedOffset = -1;
    private volatile boolean autoFlush;
    private volatile int maxMessageBytes = 1 << 20;
    private volatile boolean logAppendTime;
    private volatile boolean failReads;

    public FileTestLog(Path dir, TopicPartition tp) {
        this.tp = tp;
        try {
            channel = FileChannel.open(dir.resolve(tp + ".log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FileTestLog autoFlush(boolean on) {
        autoFlush = on;
        return this;
    }

    /** Makes every read throw, as a log with an I/O error does. */
    public FileTestLog failReads(boolean on) {
        failReads = on;
        return this;
    }

    public FileTestLog logAppendTime(boolean on) {
        logAppendTime = on;
        return this;
    }

    @Override
    public boolean logAppendTime() {
        return logAppendTime;
    }

    public FileTestLog maxMessageBytes(int bytes) {
        maxMessageBytes = bytes;
        return this;
    }

    @Override
    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public synchronized LogAppendResult append(ByteBuffer records) {
        long base = logEndOffset;
        long next = base;
        try {
            long position = channel.size();
            walk.reset(records, records.position(), records.limit());
            List<long[]> added = new ArrayList<>();
            while (walk.hasNext()) {
                RecordBatch batch = walk.next();
                batch.setBaseOffset(next);
                added.add(new long[] {position + batch.position() - records.position(), batch.sizeInBytes(),
                    batch.lastOffset(), batch.maxTimestamp(), next});
                next = batch.nextOffset();
            }
            ByteBuffer dup = records.duplicate();
            while (dup.hasRemaining()) {
                channel.write(dup, position + dup.position() - records.position());
            }
            for (long[] a : added) {
                batches.put(a[4], new Entry(a[0], (int) a[1], a[2], a[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        logEndOffset = next;
        appends.incrementAndGet();
        if (autoFlush) {
            flush();
        }
        return new LogAppendResult(base, next - 1, -1, next - 1, 0, 0, records.remaining(), 1, 0);
    }

    public int appendCount() {
        return appends.get();
    }

    public long sizeInBytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public LogReadResult read(long fetchOffset, int maxBytes, long maxOffset) {
        if (failReads) {
            throw new io.cairn.storage.StorageException(tp + ": read at offset " + fetchOffset + " failed: EIO (injected)");
        }
        long end0 = logEndOffset;
        long hw = highWatermark;
        if (fetchOffset < 0 || fetchOffset > end0) {
            return new LogReadResult(null, 0, hw, end0, true);
        }
        Map.Entry<Long, Entry> first = batches.floorEntry(fetchOffset);
        if (first == null || first.getValue().lastOffset() < fetchOffset) {
            first = batches.ceilingEntry(fetchOffset);
        }
        if (first == null || first.getKey() >= maxOffset) {
            return new LogReadResult(null, 0, hw, end0, false);
        }
        long start = first.getValue().position();
        long end = start + first.getValue().size();
        for (Map.Entry<Long, Entry> e : batches.tailMap(first.getKey(), false).entrySet()) {
            if (e.getKey() >= maxOffset || e.getValue().position() + e.getValue().size() - start > maxBytes) {
                break;
            }
            end = e.getValue().position() + e.getValue().size();
        }
        return new LogReadResult(new FileSlice(channel, start, (int) (end - start)), 0, hw, end0, false);
    }

    @Override
    public long logStartOffset() {
        return 0;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public void updateHighWatermark(long hw) {
        highWatermark = Math.max(highWatermark, hw);
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        for (Map.Entry<Long, Entry> e : batches.entrySet()) {
            if (e.getKey() < highWatermark && e.getValue().maxTimestamp() >= timestampMs) {
                return Optional.of(new TimestampOffset(e.getValue().maxTimestamp(), e.getKey()));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized CompletableFuture<Void> flushedThrough(long offset) {
        if (offset <= flushedOffset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        flushWaiters.add(Map.entry(offset, f));
        return f;
    }

    /** Forces everything appended so far and completes the waiters it covers. */
    public synchronized void flush() {
        flushedOffset = logEndOffset - 1;
        flushWaiters.removeIf(w -> {
            if (w.getKey() <= flushedOffset) {
                w.getValue().complete(null);
                return true;
            }
            return false;
        });
    }

    public synchronized int flushWaiterCount() {
        return flushWaiters.size();
    }
}
