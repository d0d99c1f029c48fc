package io.cairn.cli.perf;

import io.cairn.cli.common.ClientCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.InFlight;
import io.cairn.cli.console.ProducerOptions;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn perf produce}: Kafka's {@code kafka-producer-perf-test} for Cairn. Sends
 * {@code --records} records of {@code --record-size} random upper-case letters, drawn afresh for every
 * record as Kafka's tool does (the producer copies the value in {@code send()}, so one array is
 * refilled), at {@code --throughput} records/s (-1 for as fast as possible), and records each
 * record's latency from just before {@code send()} to its acknowledgement in an HdrHistogram.
 */
@Command(name = "produce", sortOptions = false,
        description = {
            "Sends records as fast as allowed and reports throughput and send-to-acknowledgement latency, "
                    + "like Kafka's kafka-producer-perf-test.",
            "Prints a progress line every few seconds, a summary line, and a 'RESULT {json}' line for scripts."
        })
public final class PerfProduceCommand extends ClientCommand {
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to write to.")
    private String topic;

    @Option(names = {"--records", "--num-records"}, required = true, paramLabel = "N", description = "Records to send.")
    private long records;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES", description = "Size of each record's value.")
    private int recordSize;

    @Option(names = "--throughput", paramLabel = "R", defaultValue = "-1",
            description = "Records per second at most; -1 for no limit. Default: ${DEFAULT-VALUE}.")
    private double throughput;

    @Mixin
    private BatchingOptions batching;

    @Mixin
    private ProducerOptions producerOptions;

    @Mixin
    private PerfOptions perfOptions;

    @Override
    protected int execute() throws InterruptedException {
        validate();
        Map<String, Object> settings = batching.addTo(producerOptions.settings());
        byte[] payload = new byte[recordSize];
        SplittableRandom random = new SplittableRandom();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, payload);
        PrintWriter out = out();
        InFlight inFlight = new InFlight();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        PerfStats stats;
        PerfStats.Summary summary;
        try (CairnProducer<byte[], byte[]> producer = CairnProducer.builder()
                .config(settings)
                .bootstrapServers(client.bootstrap())
                .build()) {
            long start = System.nanoTime();
            stats = new PerfStats(start);
            RatePacer pacer = new RatePacer(throughput, RatePacer.Clock.SYSTEM);
            try (ProgressReporter ignored = ProgressReporter.start(stats, "sent", perfOptions.reportingIntervalMs(), out)) {
                for (long i = 0; i < records; i++) {
                    pacer.acquire();
                    Payloads.refillRandomLetters(payload, random);
                    long sendNanos = System.nanoTime(); // Kafka's tool measures from the actual send
                    inFlight.begin();
                    // A callback per record, as Kafka's tool gives send() a PerfCallback per record.
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            stats.record(recordSize, System.nanoTime() - sendNanos);
                        } else {
                            stats.recordError();
                            firstError.compareAndSet(null, error);
                        }
                        inFlight.end();
                    });
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                }
                producer.flush();
                inFlight.awaitNone(60_000);
                summary = stats.summary(System.nanoTime());
            }
        }
        out.println(PerfReport.summaryLine(summary, "sent"));
        out.println(PerfReport.resultLine("produce", resultSettings(), summary));
        out.flush();
        if (summary.errors() > 0) {
            throw new CommandFailure(commandPath(), summary.errors() + " of " + records + " records failed; first: "
                    + Failures.reason(firstError.get()));
        }
        return EXIT_OK;
    }

    private void validate() {
        if (records < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must be >= 1, got " + records);
        }
        if (recordSize < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--record-size must be >= 0, got " + recordSize);
        }
        if (throughput == 0 || (throughput < 0 && throughput != -1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--throughput must be > 0, or -1 for no limit, got " + throughput);
        }
        producerOptions.validate(spec);
    }

    private Map<String, Object> resultSettings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("topic", topic);
        s.put("recordsTarget", records);
        s.put("recordSize", recordSize);
        s.put("throughput", throughput);
        s.put("acks", producerOptions.acks());
        s.put("compression", producerOptions.compression());
        s.put("batchSize", batching.batchSize());
        s.put("lingerMs", batching.lingerMs());
        return s;
    }
}
