package io.cairn.cli.perf;

import io.cairn.cli.common.Admins;
import io.cairn.cli.common.ClientCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.KeyValues;
import io.cairn.cli.console.ProducerOptions;
import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.WakeupException;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn perf e2e}: end-to-end latency at a fixed offered rate. A producer sends
 * {@code --records} records on a fixed schedule of {@code --rate} records/s; a consumer in the same
 * JVM, reading every partition from the end, measures for each record the time from its scheduled
 * send to its arrival from {@code poll()} (both on {@link System#nanoTime()}, so no clock skew; and
 * a sender that falls behind shows as latency instead of hiding it). The first
 * {@code --warmup-records} are received but not measured. See {@link E2eProbe} for the payload.
 */
@Command(name = "e2e", sortOptions = false,
        description = {
            "Measures end-to-end latency: produces at a fixed rate while a consumer in the same process receives, "
                    + "and records for each record the time from its scheduled send to its arrival.",
            "Prints a progress line every few seconds, a summary line, and a 'RESULT {json}' line for scripts."
        })
public final class PerfE2eCommand extends ClientCommand {
    /** At TRACE: sends that started late and each poll's slowest record, to line up with the fetch trace. */
    private static final Logger TRACE = LoggerFactory.getLogger(PerfE2eCommand.class);
    private static final long LATE_SEND_TRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to write to and read from.")
    private String topic;

    @Option(names = {"--records", "--num-records"}, required = true, paramLabel = "N", description = "Records to send.")
    private long records;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES",
            description = "Size of each record's value, at least 24 (run id, send time, index).")
    private int recordSize;

    @Option(names = {"--rate", "--throughput"}, paramLabel = "R", defaultValue = "1000",
            description = "Records per second to send, on a fixed schedule; -1 for no limit. Default: ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--warmup-records", paramLabel = "N", defaultValue = "0",
            description = "The first N records are received but their latency not measured. Default: ${DEFAULT-VALUE}.")
    private long warmupRecords;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "After the last send, give up when no record arrived for MS milliseconds. Default: ${DEFAULT-VALUE}.")
    private long idleTimeoutMs;

    @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE", description = "Any consumer setting; repeatable.")
    private Map<String, String> consumerProps = new LinkedHashMap<>();

    @Mixin
    private BatchingOptions batching;

    @Mixin
    private ProducerOptions producerOptions;

    @Mixin
    private PerfOptions perfOptions;

    @Override
    protected int execute() throws InterruptedException {
        validate();
        List<TopicPartition> partitions = Admins.partitions(client.bootstrap(), topic);
        E2eProbe probe = new E2eProbe(new SecureRandom().nextLong(), recordSize, new Random());
        PrintWriter out = out();
        AtomicLong sendErrors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        PerfStats.Summary summary;
        try (CairnConsumer<byte[], byte[]> consumer = CairnConsumer.builder()
                .config(new LinkedHashMap<String, Object>(consumerProps))
                .bootstrapServers(client.bootstrap())
                .autoOffsetReset(OffsetResetStrategy.LATEST)
                .build();
             CairnProducer<byte[], byte[]> producer = CairnProducer.builder()
                .config(batching.addTo(producerOptions.settings()))
                .bootstrapServers(client.bootstrap())
                .build()) {
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition tp : partitions) {
                consumer.position(tp); // fix the starting point before the first send
            }
            PerfStats stats = new PerfStats(System.nanoTime());
            Receiver receiver = new Receiver(consumer, probe, stats, warmupRecords);
            Thread receiving = new Thread(receiver, "cairn-perf-e2e-consumer");
            receiving.setDaemon(true);
            try (ProgressReporter ignored = ProgressReporter.start(stats, "received", perfOptions.reportingIntervalMs(), out)) {
                receiving.start();
                RatePacer pacer = new RatePacer(rate, RatePacer.Clock.SYSTEM);
                for (long i = 0; i < records && receiver.failure() == null; i++) {
                    long scheduled = pacer.acquire();
                    long sendStart = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, probe.next(i, scheduled))).whenComplete((m, error) -> {
                        if (error != null) {
                            sendErrors.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    });
                    long sendEnd = System.nanoTime();
                    if (sendEnd - scheduled > LATE_SEND_TRACE_NANOS && TRACE.isTraceEnabled()) {
                        TRACE.trace("event=send_late t={} i={} lagUs={} sendUs={}", sendEnd / 1000, i,
                                (sendStart - scheduled) / 1000, (sendEnd - sendStart) / 1000);
                    }
                }
                producer.flush();
                awaitReceived(receiver, stats, sendErrors);
                consumer.wakeup();
                receiving.join(10_000);
                summary = stats.summary(System.nanoTime());
            }
            if (receiver.failure() != null) {
                throw new CommandFailure(commandPath(), "consumer failed: " + Failures.reason(receiver.failure()));
            }
        }
        out.println(PerfReport.summaryLine(summary, "received"));
        out.println(PerfReport.resultLine("e2e", resultSettings(), summary));
        out.flush();
        if (sendErrors.get() > 0) {
            throw new CommandFailure(commandPath(), sendErrors.get() + " of " + records + " records failed to send; first: "
                    + Failures.reason(firstError.get()));
        }
        if (summary.records() < records) {
            throw new CommandFailure(commandPath(), "only " + summary.records() + " of " + records
                    + " records arrived; none for " + idleTimeoutMs + " ms (--timeout-ms)");
        }
        return EXIT_OK;
    }

    /** Waits until every record sent successfully arrived, or nothing arrived for the idle timeout. */
    private void awaitReceived(Receiver receiver, PerfStats stats, AtomicLong sendErrors) throws InterruptedException {
        long seen = stats.records();
        long lastProgressNanos = System.nanoTime();
        while (stats.records() < records - sendErrors.get() && receiver.failure() == null) {
            long now = System.nanoTime();
            long count = stats.records();
            if (count != seen) {
                seen = count;
                lastProgressNanos = now;
            } else if (TimeUnit.NANOSECONDS.toMillis(now - lastProgressNanos) >= idleTimeoutMs) {
                return;
            }
            receiver.awaitProgress(100);
        }
    }

    private void validate() {
        if (records < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must be >= 1, got " + records);
        }
        if (recordSize < E2eProbe.HEADER_SIZE) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--record-size must be >= " + E2eProbe.HEADER_SIZE + " (run id, send time, index), got " + recordSize);
        }
        if (warmupRecords < 0 || warmupRecords >= records) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--warmup-records must be >= 0 and less than --records, got " + warmupRecords);
        }
        if (rate == 0 || (rate < 0 && rate != -1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be > 0, or -1 for no limit, got " + rate);
        }
        producerOptions.validate(spec);
        KeyValues.requireKeys(spec, "--consumer-prop", consumerProps);
    }

    private Map<String, Object> resultSettings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("topic", topic);
        s.put("recordsTarget", records);
        s.put("recordSize", recordSize);
        s.put("rate", rate);
        s.put("warmupRecords", warmupRecords);
        s.put("batchSize", batching.batchSize());
        s.put("lingerMs", batching.lingerMs());
        s.put("acks", producerOptions.acks());
        s.put("compression", producerOptions.compression());
        return s;
    }

    /** The consuming side: polls until woken, recording each record of this run. Owns the consumer while it runs. */
    private static final class Receiver implements Runnable {
        private final CairnConsumer<byte[], byte[]> consumer;
        private final E2eProbe probe;
        private final PerfStats stats;
        private final long warmupRecords;
        private final Object progress = new Object();
        private volatile Throwable failure;

        Receiver(CairnConsumer<byte[], byte[]> consumer, E2eProbe probe, PerfStats stats, long warmupRecords) {
            this.consumer = consumer;
            this.probe = probe;
            this.stats = stats;
            this.warmupRecords = warmupRecords;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    boolean any = false;
                    long pollStart = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    long maxLatencyNanos = 0;
                    ConsumerRecord<byte[], byte[]> slowest = null;
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        byte[] value = r.value();
                        if (!probe.isOurs(value)) {
                            continue;
                        }
                        if (E2eProbe.index(value) < warmupRecords) {
                            stats.recordUntimed(value.length);
                        } else {
                            long latencyNanos = now - E2eProbe.scheduledNanos(value);
                            stats.record(value.length, latencyNanos);
                            if (latencyNanos > maxLatencyNanos) {
                                maxLatencyNanos = latencyNanos;
                                slowest = r;
                            }
                        }
                        any = true;
                    }
                    if (slowest != null && TRACE.isTraceEnabled()) {
                        TRACE.trace("event=polled t={} pollUs={} count={} maxLatencyUs={} slowest={}@{}", now / 1000,
                                (now - pollStart) / 1000, records.count(), maxLatencyNanos / 1000, slowest.partition(),
                                slowest.offset());
                    }
                    if (any) {
                        synchronized (progress) {
                            progress.notifyAll();
                        }
                    }
                }
            } catch (WakeupException e) {
                // asked to stop
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }

        Throwable failure() {
            return failure;
        }

        void awaitProgress(long maxMs) throws InterruptedException {
            synchronized (progress) {
                progress.wait(maxMs);
            }
        }
    }
}
