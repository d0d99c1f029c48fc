package io.cairn.broker.fetch;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.Partition;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.broker.partition.PartitionLog;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.protocol.FileSlice;
import io.cairn.storage.LogReadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads partitions for consumers: the fetch path without any wire format.
 *
 * <p>Each partition is read with {@code PartitionLog.read(fetchOffset, limit, highWatermark)},
 * which returns a slice of the log file (whole batches) that the network writes with sendfile;
 * no record byte passes through the heap. The limit is the partition's {@code maxBytes}, capped
 * by what is left of the fetch's {@code maxBytes}; only the first batch of the whole answer may
 * exceed them (Kafka's rule, so a consumer always makes progress past a large batch).
 *
 * <p>When fewer than {@code minBytes} are available the fetch parks (see {@link DelayedFetch})
 * until an append to one of its partitions brings enough, or {@code maxWaitMs} passes.
 *
 * <p>First reads run on {@code readExecutor}, never on the caller's event loop: storage's read
 * looks up the offset index and scans batch headers with positional reads, which may touch the
 * disk. A fetch from the high watermark of every partition skips that read (it would find
 * nothing) and parks at once. The re-read of a parked fetch after an append runs on the caller's
 * event loop (it reads the records just appended, from the page cache). The answer goes back on
 * the caller's event loop. Thread-safe.
 */
public final class FetchService {
    private static final Logger LOG = LoggerFactory.getLogger(FetchService.class);
    private final PartitionRegistry partitions;
    private final Executor readExecutor;
    private final DataPathMetrics metrics;
    private final Set<DelayedFetch> parked = ConcurrentHashMap.newKeySet();

    public FetchService(PartitionRegistry partitions, Executor readExecutor, DataPathMetrics metrics) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
        this.readExecutor = Objects.requireNonNull(readExecutor, "readExecutor");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Reads, waiting up to {@code spec.maxWaitMs()} for {@code spec.minBytes()}.
     *
     * @param loop   the caller's event loop: runs the timeout and {@code onDone}
     * @param onDone receives one entry per requested partition, in request order; called exactly once
     * @return answers the fetch at once with what is there, if it is still waiting (e.g. its
     *         connection closed); any thread
     */
    public Runnable fetch(FetchSpec spec, ScheduledExecutorService loop, Consumer<List<FetchedPartition>> onDone) {
        Partition[] resolved = new Partition[spec.partitions().size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = partitions.partition(spec.partitions().get(i).topicPartition());
        }
        DelayedFetch fetch = new DelayedFetch(this, spec, resolved, loop, onDone);
        if (caughtUp(spec, resolved)) {
            // nothing to read: park from here instead of handing an empty read to a read thread
            fetch.startAtTail();
        } else {
            readExecutor.execute(fetch::start);
        }
        return fetch::expireNow;
    }

    /**
     * True if the fetch would wait and every partition is present and asked from its high
     * watermark: a read now would find nothing, so the fetch can park without one.
     */
    private static boolean caughtUp(FetchSpec spec, Partition[] resolved) {
        if (spec.maxWaitMs() <= 0 || spec.minBytes() <= 0 || resolved.length == 0) {
            return false;
        }
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == null || spec.partitions().get(i).fetchOffset() != resolved[i].log().highWatermark()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers every parked fetch now with what is there (the broker is stopping and will read no
     * more requests; the answers can still be written).
     */
    public void completeParked() {
        for (DelayedFetch fetch : parked) {
            fetch.expireNow();
        }
    }

    /** Fetches parked right now. */
    public int parkedCount() {
        return parked.size();
    }

    void parked(DelayedFetch fetch) {
        parked.add(fetch);
    }

    void unparked(DelayedFetch fetch) {
        parked.remove(fetch);
    }

    Executor readExecutor() {
        return readExecutor;
    }

    DataPathMetrics metrics() {
        return metrics;
    }

    /** Reads every partition once, as the answer would carry it now. Runs on the read executor. */
    static List<FetchedPartition> read(FetchSpec spec, Partition[] resolved) {
        List<FetchedPartition> out = new ArrayList<>(resolved.length);
        long remaining = spec.maxBytes();
        boolean any = false;
        for (int i = 0; i < resolved.length; i++) {
            FetchSpec.Partition wanted = spec.partitions().get(i);
            Partition partition = resolved[i];
            if (partition == null) {
                out.add(new FetchedPartition(wanted.topicPartition(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "topic " + wanted.topicPartition().topic() + " has no partition "
                                + wanted.topicPartition().partition(), -1, -1, -1, null));
                continue;
            }
            PartitionLog log = partition.log();
            long offset = wanted.fetchOffset();
            int limit = (int) Math.min(wanted.maxBytes(), remaining);
            LogReadResult read;
            try {
                read = log.read(offset, Math.max(limit, 1), log.highWatermark());
            } catch (RuntimeException e) {
                // a damaged header or an I/O error: this partition fails, the others are still served
                LOG.warn("event=fetch_read_failed partition={} offset={} error=\"{}\"", wanted.topicPartition(), offset,
                        e.toString());
                out.add(new FetchedPartition(wanted.topicPartition(), ErrorCode.STORAGE_ERROR, "read of "
                        + wanted.topicPartition() + " at offset " + offset + " failed: " + e.getMessage(), -1, -1, -1, null));
                continue;
            }
            if (read.offsetOutOfRange()) {
                out.add(new FetchedPartition(wanted.topicPartition(), ErrorCode.OFFSET_OUT_OF_RANGE,
                        "fetch offset " + offset + " is out of range for " + wanted.topicPartition() + ": log start "
                                + read.logStartOffset() + ", log end " + read.logEndOffset(), read.highWatermark(),
                        read.logStartOffset(), read.logEndOffset(), null));
                continue;
            }
            FileSlice records = null;
            long recordCount = 0;
            // Only the first batch of the whole answer may exceed the limits (so consumers progress).
            if (read.hasData() && limit > 0 && (read.sizeInBytes() <= limit || !any)) {
                records = read.slice();
                recordCount = read.recordCount();
                remaining -= records.length();
                any = true;
            }
            out.add(new FetchedPartition(wanted.topicPartition(), ErrorCode.NONE, null, read.highWatermark(),
                    read.logStartOffset(), read.logEndOffset(), records, recordCount));
        }
        return out;
    }
}
