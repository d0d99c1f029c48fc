package io.cairn.broker.produce;

import io.cairn.broker.partition.DataPathMetrics;
import io.cairn.broker.partition.Partition;
import io.cairn.protocol.wire.ErrorCode;
import io.cairn.broker.partition.PartitionLog;
import io.cairn.broker.partition.PartitionRegistry;
import io.cairn.broker.producer.BatchMetadata;
import io.cairn.broker.producer.ProducerStateManager;
import io.cairn.broker.producer.SequenceCheck;
import io.cairn.protocol.record.InvalidRecordBatchException;
import io.cairn.protocol.record.RecordBatch;
import io.cairn.protocol.record.RecordBatchDescriptor;
import io.cairn.protocol.record.RecordBatchValidator;
import io.cairn.protocol.record.TimestampType;
import io.cairn.storage.LogAppendResult;
import io.cairn.storage.StorageFullException;
import io.cairn.storage.TopicPartition;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends produced batches to partitions: the produce path without any wire format.
 *
 * <p>{@link #append} validates on the caller's thread (a connection's event loop), then hands the
 * bytes to the partition's writer lane, which runs the idempotence check and the log append. The
 * answer goes back through {@code completer} (the connection's event loop): at once for
 * {@link Acks#LEADER} and {@link Acks#NONE}, after the flush service has forced the batch for
 * {@link Acks#ALL}. Nothing here blocks the caller, and nothing waits on disk except the flush
 * thread. On a single broker the high watermark is advanced to the log end right after each
 * append; it is kept apart from the log end so replication can hold it back later.
 *
 * <p>The records buffer's bytes are written to the log as they are (an NIO view of the buffer,
 * not a copy); its baseOffset fields are overwritten in place. The buffer is released exactly once
 * on every path.
 *
 * <p>Thread-safe.
 */
public final class AppendService {
    private static final Logger LOG = LoggerFactory.getLogger(AppendService.class);

    private final PartitionRegistry partitions;
    private final DataPathMetrics metrics;
    private final LongSupplier clockMs;
    private final AtomicInteger waitingForFlush = new AtomicInteger();
    /** Per calling thread (event loop): validators by batch size limit, and a header flyweight. */
    private final ThreadLocal<Validators> validators = ThreadLocal.withInitial(Validators::new);

    public AppendService(PartitionRegistry partitions, DataPathMetrics metrics, LongSupplier clockMs) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    }

    /**
     * Appends one partition's batches.
     *
     * @param records   the batches; ownership passes to this call, which releases it exactly once
     * @param completer where {@code onDone} runs (the caller's event loop)
     * @param onDone    receives the outcome; called exactly once, also for {@link Acks#NONE}
     */
    public void append(TopicPartition tp, ByteBuf records, Acks acks, Executor completer,
                       Consumer<AppendResult> onDone) {
        Partition partition = partitions.partition(tp);
        if (partition == null) {
            records.release();
            onDone.accept(AppendResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                    "topic " + tp.topic() + " has no partition " + tp.partition()));
            return;
        }
        ByteBuffer bytes;
        ProducedBatches batches;
        try {
            bytes = records.nioBuffer();
            Validators v = validators.get();
            batches = ProducedBatches.scan(tp, bytes, v.forLimit(partition.log().maxMessageBytes()), v.view);
        } catch (RuntimeException e) {
            records.release();
            throw e;
        }
        if (batches.error != null) {
            records.release();
            onDone.accept(AppendResult.failed(batches.error, batches.message));
            return;
        }
        try {
            partition.writer().execute(() -> write(partition, records, bytes, batches, acks, completer, onDone));
        } catch (RejectedExecutionException e) {
            records.release();
            onDone.accept(AppendResult.failed(ErrorCode.STORAGE_ERROR,
                    "produce to " + tp + " rejected: the broker is shutting down"));
        }
    }

    /** acks=all produces appended and waiting for their flush right now. */
    public int waitingForFlush() {
        return waitingForFlush.get();
    }

    /** Runs on the partition's writer lane. */
    private void write(Partition partition, ByteBuf records, ByteBuffer bytes, ProducedBatches batches, Acks acks,
                       Executor completer, Consumer<AppendResult> onDone) {
        PartitionLog log = partition.log();
        AppendResult result;
        long durableThrough;
        try {
            long nowMs = clockMs.getAsLong();
            ProducerStateManager producers = partition.producerState(nowMs);
            // Batches are checked one by one, as if each had come in its own request: leading duplicates are
            // answered with their original offsets and not appended again; the first batch that is not a
            // duplicate decides for itself and the batches behind it (they continue its sequence).
            int firstNew = 0;
            int firstNewPosition = bytes.position();
            int duplicateRecords = 0;
            SequenceCheck check = null;
            BatchMetadata firstDuplicate = null;
            long duplicateThrough = -1;
            RecordBatch view = partition.writerBatchView();
            for (; firstNew < batches.checkedBatches(); firstNew++) {
                view.wrap(bytes, firstNewPosition);
                check = producers.check(batches.producerId, batches.producerEpoch, view.baseSequence(),
                        view.lastSequence());
                if (check.outcome() != SequenceCheck.Outcome.DUPLICATE) {
                    break;
                }
                if (firstDuplicate == null) {
                    firstDuplicate = check.duplicateOf();
                }
                duplicateThrough = Math.max(duplicateThrough, check.duplicateOf().lastOffset());
                duplicateRecords += view.recordCount();
                firstNewPosition += view.sizeInBytes();
            }
            if (firstDuplicate != null && firstNew == batches.checkedBatches()) {
                result = AppendResult.appended(firstDuplicate.firstOffset(), -1L, log.logStartOffset());
                durableThrough = duplicateThrough;
            } else if (check != null && check.outcome() != SequenceCheck.Outcome.ACCEPT) {
                result = AppendResult.failed(check.outcome() == SequenceCheck.Outcome.INVALID_PRODUCER_EPOCH
                        ? ErrorCode.INVALID_PRODUCER_EPOCH : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
                        check.message());
                durableThrough = -1;
            } else if (firstDuplicate != null && duplicateThrough + 1 != log.logEndOffset()) {
                // The answer holds one base offset per partition, from which the producer derives every
                // batch's offset: new batches that would not follow their duplicates directly would be
                // reported at offsets they do not have. Nothing is appended.
                result = AppendResult.failed(ErrorCode.INVALID_RECORD, "produce to " + log.topicPartition()
                        + " rejected: batches " + firstNew + ".." + (batches.checkedBatches() - 1) + " of producerId="
                        + batches.producerId + " are new but follow duplicates stored at offsets "
                        + firstDuplicate.firstOffset() + ".." + duplicateThrough + ", and the log ends at "
                        + log.logEndOffset() + "; send the new batches in a request of their own");
                durableThrough = -1;
            } else {
                long logAppendTimeMs = log.logAppendTime() ? stampLogAppendTime(partition, bytes, nowMs) : -1L;
                ByteBuffer toAppend = firstNew == 0 ? bytes : bytes.duplicate().position(firstNewPosition);
                LogAppendResult appended = log.append(toAppend);
                durableThrough = appended.lastOffset();
                if (check != null) {
                    recordAppended(producers, batches, view, toAppend, appended, nowMs);
                }
                // Single broker: everything appended is committed. Replication will hold this back.
                if (log.highWatermark() < appended.lastOffset() + 1) {
                    log.updateHighWatermark(appended.lastOffset() + 1);
                }
                partition.wakeWaiters();
                metrics.appended(log.topicPartition().topic(), appended.sizeInBytes(), batches.recordCount - duplicateRecords);
                long firstOffset = firstDuplicate != null ? firstDuplicate.firstOffset() : appended.firstOffset();
                result = AppendResult.appended(firstOffset, logAppendTimeMs, appended.logStartOffset());
            }
        } catch (InvalidRecordBatchException e) {
            // storage re-checks sizes against segment.bytes, which the event loop's check does not know
            result = AppendResult.failed(ProducedBatches.errorFor(e.reason()),
                    "append to " + log.topicPartition() + " refused: " + e.getMessage());
            durableThrough = -1;
        } catch (StorageFullException e) {
            // Expected while the disk is full: nothing was appended, the log stays online; no stack trace.
            LOG.warn("event=append_refused reason=disk_full partition={} bytes={} error=\"{}\"", log.topicPartition(),
                    bytes.remaining(), e.getMessage());
            result = AppendResult.failed(ErrorCode.STORAGE_ERROR,
                    "append to " + log.topicPartition() + " failed: " + e.getMessage());
            durableThrough = -1;
        } catch (RuntimeException e) {
            LOG.error("event=append_failed partition={} bytes={}", log.topicPartition(), bytes.remaining(), e);
            result = AppendResult.failed(ErrorCode.STORAGE_ERROR,
                    "append to " + log.topicPartition() + " failed: " + e.getMessage());
            durableThrough = -1;
        } finally {
            records.release();
        }
        if (acks == Acks.ALL && result.isSuccess()) {
            awaitFlush(log, durableThrough, result, completer, onDone);
        } else {
            complete(completer, onDone, result);
        }
    }

    /**
     * Remembers the idempotent batches of {@code appendedBytes}, which one append wrote at consecutive
     * offsets, as one append: the remembered window counts a producer's requests, not its batches.
     */
    private static void recordAppended(ProducerStateManager producers, ProducedBatches batches, RecordBatch view,
                                       ByteBuffer appendedBytes, LogAppendResult appended, long nowMs) {
        long offset = appended.firstOffset();
        boolean first = true;
        for (int position = appendedBytes.position(); position < appendedBytes.limit(); position += view.sizeInBytes()) {
            view.wrap(appendedBytes, position);
            long batchLast = offset + view.lastOffsetDelta();
            producers.record(batches.producerId, batches.producerEpoch, view.baseSequence(), view.lastSequence(),
                    offset, batchLast, nowMs, !first);
            offset = batchLast + 1;
            first = false;
        }
    }

    /**
     * Sets the log-append-time flag and {@code maxTimestamp = nowMs} on every batch and rewrites
     * their CRCs (both fields are covered by it): the one case where the broker edits more than
     * the offset. Writer lane; returns {@code nowMs}.
     */
    private static long stampLogAppendTime(Partition partition, ByteBuffer bytes, long nowMs) {
        RecordBatch view = partition.writerBatchView();
        for (int position = bytes.position(); position < bytes.limit(); position += view.sizeInBytes()) {
            view.wrap(bytes, position).setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
        }
        return nowMs;
    }

    private void awaitFlush(PartitionLog log, long offset, AppendResult result, Executor completer,
                            Consumer<AppendResult> onDone) {
        long startNanos = System.nanoTime();
        waitingForFlush.incrementAndGet();
        log.flushedThrough(offset).whenComplete((ignored, failure) -> {
            waitingForFlush.decrementAndGet();
            metrics.flushWaitedNanos(System.nanoTime() - startNanos);
            if (failure == null) {
                complete(completer, onDone, result);
            } else {
                LOG.error("event=flush_failed partition={} offset={}", log.topicPartition(), offset, failure);
                complete(completer, onDone, AppendResult.failed(ErrorCode.STORAGE_ERROR,
                        "flush of " + log.topicPartition() + " through offset " + offset + " failed: "
                                + failure.getMessage()));
            }
        });
    }

    private static void complete(Executor completer, Consumer<AppendResult> onDone, AppendResult result) {
        try {
            completer.execute(() -> onDone.accept(result));
        } catch (RejectedExecutionException e) {
            LOG.debug("event=produce_answer_dropped reason=completer_closed result={}", result);
        }
    }

    /** One thread's validators, one per distinct {@code max.message.bytes} seen (topics rarely differ). */
    private static final class Validators {
        final RecordBatch view = new RecordBatch();
        private final Map<Integer, RecordBatchValidator> byLimit = new HashMap<>();
        private int lastLimit = -1;
        private RecordBatchValidator last;

        RecordBatchValidator forLimit(int maxMessageBytes) {
            int limit = Math.max(maxMessageBytes, RecordBatchDescriptor.HEADER_SIZE);
            if (limit != lastLimit) {
                last = byLimit.computeIfAbsent(limit,
                        l -> new RecordBatchValidator(l, RecordBatchValidator.DEFAULT_MAX_DECOMPRESSED_BYTES));
                lastLimit = limit;
            }
            return last;
        }
    }
}
