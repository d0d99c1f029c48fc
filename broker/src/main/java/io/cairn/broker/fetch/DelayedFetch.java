package io.cairn.broker.fetch;

import io.cairn.broker.partition.AppendWaiter;
import io.cairn.broker.partition.Partition;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fetch from its first read to its answer. If the first read is not enough it parks on each
 * of its partitions ({@link Partition#addWaiter}); an append there calls {@link #onAppend}, which
 * only raises a flag and schedules one re-read on the caller's event loop (many appends in a
 * burst cause one re-read). A timer on the caller's event loop ends the wait after
 * {@code maxWaitMs} with whatever is there. Whichever comes first answers; the rest find it done.
 * A fetch that asks every partition from its high watermark (a consumer caught up) skips the
 * first read and parks at once from the caller's thread ({@link #startAtTail}).
 *
 * <p>Shared between the read executor, writer lanes (wake-ups) and the event loop (timer,
 * re-reads): state changes are atomic flags.
 */
final class DelayedFetch implements AppendWaiter {
    private static final Logger LOG = LoggerFactory.getLogger(DelayedFetch.class);

    private final FetchService service;
    private final FetchSpec spec;
    private final Partition[] partitions;
    private final ScheduledExecutorService loop;
    private final Consumer<List<FetchedPartition>> onDone;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean rereadPending = new AtomicBoolean();
    private volatile boolean parked;
    private volatile ScheduledFuture<?> timeout;
    private final long createdNanos = System.nanoTime();
    /** What answered: the first read, a re-read after an append, or the expiry; for the trace. */
    private volatile String answeredBy = "first_read";

    DelayedFetch(FetchService service, FetchSpec spec, Partition[] partitions, ScheduledExecutorService loop,
                 Consumer<List<FetchedPartition>> onDone) {
        this.service = service;
        this.spec = spec;
        this.partitions = partitions;
        this.loop = loop;
        this.onDone = onDone;
    }

    /** First read; parks if it is not enough. Read executor. */
    void start() {
        List<FetchedPartition> now = FetchService.read(spec, partitions);
        if (isEnough(now)) {
            answer(now);
            return;
        }
        long[] seen = new long[partitions.length];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = now.get(i).highWatermark();
        }
        if (!park(seen)) {
            answer(now);
        }
    }

    /**
     * Parks without a first read: the caller saw every partition present and read up to its high
     * watermark, so that read would find nothing. Any thread (the caller's event loop).
     */
    void startAtTail() {
        long[] seen = new long[partitions.length];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = spec.partitions().get(i).fetchOffset();
        }
        if (!park(seen)) {
            expire();
        }
    }

    /**
     * Parks on every partition and starts the timer; false if the timer cannot be set (the event
     * loop is closing). {@code seenHighWatermarks} are the high watermarks the caller's look was
     * based on: if one has moved, an append slipped in before this fetch was parked (and woke
     * nobody), so it looks once more.
     */
    private boolean park(long[] seenHighWatermarks) {
        parked = true;
        service.parked(this);
        for (Partition partition : partitions) {
            partition.addWaiter(this);
        }
        try {
            timeout = loop.schedule(this::expire, spec.maxWaitMs(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            unpark();
            return false;
        }
        if (done.get()) {
            // a wake-up on a partition parked early answered while later ones were being parked
            unpark();
            return true;
        }
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i].log().highWatermark() != seenHighWatermarks[i]) {
                onAppend();
                break;
            }
        }
        return true;
    }

    /**
     * Writer lane. The re-read runs on the fetch's event loop, which writes the answer: one
     * hand-off instead of two (writer to a read thread, read thread to the event loop). The
     * re-read is of records just appended past the fetch offset, so it finds them in the page
     * cache and costs a few microseconds.
     */
    @Override
    public void onAppend() {
        if (!done.get() && rereadPending.compareAndSet(false, true)) {
            try {
                loop.execute(this::reread);
            } catch (RejectedExecutionException e) {
                rereadPending.set(false);
            }
        }
    }

    private void reread() {
        rereadPending.set(false);
        if (done.get()) {
            return;
        }
        List<FetchedPartition> now = FetchService.read(spec, partitions);
        if (isEnough(now)) {
            answeredBy = "append";
            answer(now);
        }
    }

    /** Answers now with whatever is there, unless already answered. Any thread. */
    void expireNow() {
        expire();
    }

    private void expire() {
        if (done.get()) {
            return;
        }
        try {
            service.readExecutor().execute(() -> {
                if (!done.get()) {
                    answeredBy = "expiry";
                    answer(FetchService.read(spec, partitions));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("event=fetch_expiry_dropped reason=read_executor_closed");
        }
    }

    private boolean isEnough(List<FetchedPartition> now) {
        if (spec.maxWaitMs() <= 0 || spec.minBytes() <= 0) {
            return true;
        }
        long bytes = 0;
        for (FetchedPartition p : now) {
            if (p.error() != ErrorCode.NONE) {
                return true;
            }
            bytes += p.recordBytes();
        }
        return bytes >= spec.minBytes();
    }

    /** Leaves every partition and the timer; idempotent. */
    private void unpark() {
        service.unparked(this);
        for (Partition partition : partitions) {
            partition.removeWaiter(this);
        }
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void answer(List<FetchedPartition> result) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (parked) {
            unpark();
        }
        if (LOG.isTraceEnabled()) {
            trace(result);
        }
        for (FetchedPartition p : result) {
            if (p.records() != null) {
                // storage counts them when it has the headers in memory; else one pread per batch
                long records = p.recordCount() >= 0 ? p.recordCount() : RecordCounter.forThread().count(p.records());
                service.metrics().fetched(p.topicPartition().topic(), p.records().length(), Math.max(0, records));
            }
        }
        if (loop instanceof EventExecutor executor && executor.inEventLoop()) {
            onDone.accept(result);
            return;
        }
        try {
            loop.execute(() -> onDone.accept(result));
        } catch (RejectedExecutionException e) {
            LOG.debug("event=fetch_answer_dropped reason=event_loop_closed");
        }
    }

    /**
     * At TRACE: one line per answered fetch (how long it was held, whether it parked, what answered
     * it, the partitions asked at which offsets, and which carried data as partition:bytes).
     */
    private void trace(List<FetchedPartition> result) {
        long now = System.nanoTime();
        StringBuilder asked = new StringBuilder();
        for (FetchSpec.Partition p : spec.partitions()) {
            asked.append(p.topicPartition()).append('@').append(p.fetchOffset()).append(' ');
        }
        StringBuilder data = new StringBuilder();
        for (FetchedPartition p : result) {
            if (p.records() != null) {
                data.append(p.topicPartition()).append(':').append(p.records().length()).append(' ');
            }
        }
        LOG.trace("event=fetch_answered t={} tookUs={} parked={} by={} asked={} data={}", now / 1000,
                (now - createdNanos) / 1000, parked, answeredBy, asked, data);
    }
}
