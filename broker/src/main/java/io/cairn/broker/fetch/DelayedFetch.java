package io.cairn.broker.fetch;

import io.cairn.broker.partition.AppendWaiter;
import io.cairn.broker.partition.Partition;
import io.cairn.protocol.wire.ErrorCode;
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
 * only raises a flag and schedules one re-read on the read executor (many appends in a burst
 * cause one re-read). A timer on the caller's event loop ends the wait after {@code maxWaitMs}
 * with whatever is there. Whichever comes first answers; the rest find it done.
 *
 * <p>Shared between the read executor, writer lanes (wake-ups) and the event loop (timer):
 * state changes are atomic flags.
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
        parked = true;
        service.parked(this);
        for (Partition partition : partitions) {
            partition.addWaiter(this);
        }
        try {
            timeout = loop.schedule(this::expire, spec.maxWaitMs(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            answer(now);
            return;
        }
        if (done.get()) {
            // a wake-up on a partition parked early answered while later ones were being parked
            unpark();
            return;
        }
        // An append between the first read and the parking above woke nobody: look once more.
        onAppend();
    }

    @Override
    public void onAppend() {
        if (!done.get() && rereadPending.compareAndSet(false, true)) {
            try {
                service.readExecutor().execute(this::reread);
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
                long records = RecordCounter.forThread().count(p.records());
                service.metrics().fetched(p.topicPartition().topic(), p.records().length(), Math.max(0, records));
            }
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
