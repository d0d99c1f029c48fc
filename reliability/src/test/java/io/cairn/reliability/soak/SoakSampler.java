package io.cairn.reliability.soak;

import io.cairn.storage.Log;
import io.cairn.storage.LogManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Takes a {@link SoakSample} each time it runs: produce and consume rates from the ledgers'
 * counters, heap after a full GC, file descriptors and mappings from {@link ProcessProbe},
 * segments and log start offsets from the broker's {@link LogManager}.
 *
 * <p>Run by one scheduler thread; {@link #samples()} may be read from any thread.
 */
final class SoakSampler implements Runnable {
    private final long startNanos;
    private final LogManager logs;
    private final ProcessProbe probe;
    private final DeliveryLedger retained;
    private final DeliveryLedger compacted;
    private final CompactionOracle oracle;
    private final Queue<Throwable> errors;
    private final List<SoakSample> samples = new ArrayList<>();
    private long lastNanos;
    private long lastProduced;
    private long lastConsumed;

    SoakSampler(long startNanos, LogManager logs, ProcessProbe probe, DeliveryLedger retained, DeliveryLedger compacted,
                CompactionOracle oracle, Queue<Throwable> errors) {
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
        this.logs = logs;
        this.probe = probe;
        this.retained = retained;
        this.compacted = compacted;
        this.oracle = oracle;
        this.errors = errors;
    }

    @Override
    public void run() {
        try {
            sample();
        } catch (RuntimeException e) {
            errors.add(new IllegalStateException("soak sampler failed", e));
        }
    }

    private void sample() {
        long now = System.nanoTime();
        long produced = retained.ackedCount() + oracle.ackedWrites();
        long consumed = retained.consumedCount() + compacted.consumedCount();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        double producedPerSec = (produced - lastProduced) / seconds;
        double consumedPerSec = (consumed - lastConsumed) / seconds;
        lastNanos = now;
        lastProduced = produced;
        lastConsumed = consumed;
        int[] segments = new int[4];
        long lag = 0;
        long logStart = 0;
        for (Log log : logs.logs()) {
            String topic = log.topicPartition().topic();
            String partition = topic + "-" + log.topicPartition().partition();
            switch (topic) {
                case SoakSettings.BYTES_TOPIC, SoakSettings.TIME_TOPIC -> {
                    segments[topic.equals(SoakSettings.BYTES_TOPIC) ? 0 : 1] += log.segmentCount();
                    lag += Math.max(0, log.logEndOffset() - Math.max(log.logStartOffset(), retained.nextOffsetConsumed(partition)));
                    logStart += log.logStartOffset();
                }
                case SoakSettings.COMPACTED_TOPIC -> segments[2] += log.segmentCount();
                default -> segments[3] += log.segmentCount();
            }
        }
        long heap = probe.heapAfterGcBytes();
        ProcessProbe.Unlinked unlinked = probe.unlinked();
        SoakSample s = new SoakSample((now - startNanos) / 1_000_000, producedPerSec, consumedPerSec, heap,
                probe.openFileDescriptors(), probe.mappedDataFiles(), unlinked.fds(), unlinked.maps(), segments[0], segments[1], segments[2], segments[3],
                lag, logStart);
        synchronized (samples) {
            samples.add(s);
        }
    }

    List<SoakSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
