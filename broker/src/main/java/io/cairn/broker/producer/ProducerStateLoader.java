package io.cairn.broker.producer;

import io.cairn.broker.partition.PartitionLog;
import io.cairn.protocol.FileSlice;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.storage.LogReadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a partition's producer state at start-up (or first use): loads the stored snapshot and
 * replays the idempotent batches' headers from the snapshot's offset to the log end. Only the
 * 61-byte header of each batch is read, through the {@link RecordBatch} flyweight; records are
 * never decoded.
 *
 * <p>An unreadable snapshot, or one whose offset lies past the log end (the log lost an unflushed tail in a crash,
 * or the topic was deleted and made again) is discarded and the whole log replayed. Replayed
 * producers count as active from the moment of replay, so a restart never expires them early.
 *
 * <p>Runs on the partition's writer thread; not thread-safe.
 */
public final class ProducerStateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateLoader.class);
    /** Bytes asked of the log per read while replaying. */
    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final ProducerStateStore store;

    public ProducerStateLoader(ProducerStateStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The partition's producer state as of its log end offset. */
    public ProducerStateManager load(PartitionLog log, long nowMs) {
        String name = log.topicPartition().toString();
        ProducerStateManager state = new ProducerStateManager(name);
        long logEnd = log.logEndOffset();
        long from = log.logStartOffset();
        ProducerStateSnapshot snapshot;
        try {
            snapshot = store.load(log.topicPartition().topic(), log.topicPartition().partition());
        } catch (IllegalStateException e) {
            // The snapshot is only a shortcut: the log is the truth, so a damaged one is replaced by a full replay.
            LOG.warn("event=producer_snapshot_discarded partition={} reason=unreadable error=\"{}\"", name, e.getMessage());
            snapshot = null;
        }
        if (snapshot != null) {
            if (snapshot.logOffset() <= logEnd) {
                state.restore(snapshot);
                from = Math.max(from, snapshot.logOffset());
            } else {
                LOG.warn("event=producer_snapshot_discarded partition={} snapshotOffset={} logEndOffset={}"
                        + " reason=snapshot_past_log_end", name, snapshot.logOffset(), logEnd);
            }
        }
        int replayed = replay(log, from, logEnd, state, nowMs);
        LOG.info("event=producer_state_loaded partition={} snapshotOffset={} replayedFrom={} logEndOffset={}"
                        + " replayedBatches={} producers={}", name, snapshot == null ? -1 : snapshot.logOffset(), from,
                logEnd, replayed, state.producerCount());
        return state;
    }

    /** Records every idempotent batch in [from, to) into {@code state}; returns how many batches were read. */
    static int replay(PartitionLog log, long from, long to, ProducerStateManager state, long nowMs) {
        return forEachHeader(log, from, to, batch -> {
            if (batch.producerId() != RecordBatchDescriptor.NO_PRODUCER_ID && batch.baseOffset() >= from) {
                state.recordReplayed(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                        batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), nowMs);
            }
        });
    }

    /**
     * The largest producer id any batch of the log carries, or -1: a lower bound for new producer ids
     * when the counter in the metadata store was lost. Reads batch headers only.
     */
    public static long largestProducerId(PartitionLog log) {
        long[] max = {RecordBatchDescriptor.NO_PRODUCER_ID};
        forEachHeader(log, log.logStartOffset(), log.logEndOffset(), batch -> max[0] = Math.max(max[0], batch.producerId()));
        return max[0];
    }

    /** Calls {@code visitor} with a header-only view of every batch in [from, to); returns how many. */
    private static int forEachHeader(PartitionLog log, long from, long to, Consumer<RecordBatch> visitor) {
        ByteBuffer header = ByteBuffer.allocate(RecordBatchDescriptor.HEADER_SIZE);
        RecordBatch batch = new RecordBatch(header, 0);
        int batches = 0;
        long offset = from;
        while (offset < to) {
            LogReadResult read = log.read(offset, READ_CHUNK_BYTES, to);
            if (!read.hasData()) {
                break;
            }
            FileSlice slice = read.slice();
            long position = slice.position();
            long end = slice.position() + slice.length();
            while (position < end) {
                readFully(slice, header, position);
                int size = batch.sizeInBytes();
                if (size < RecordBatchDescriptor.HEADER_SIZE || position + size > end) {
                    throw new IllegalStateException("batch at position=" + position + " of " + log.topicPartition()
                            + ": size=" + size + " runs outside the slice ending at " + end);
                }
                visitor.accept(batch);
                offset = batch.nextOffset();
                position += size;
                batches++;
            }
        }
        return batches;
    }

    private static void readFully(FileSlice slice, ByteBuffer header, long position) {
        header.clear();
        try {
            while (header.hasRemaining()) {
                int n = slice.channel().read(header, position + header.position());
                if (n < 0) {
                    throw new IllegalStateException("end of file at position=" + (position + header.position())
                            + " inside a batch header");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading batch header at position=" + position, e);
        }
    }
}
