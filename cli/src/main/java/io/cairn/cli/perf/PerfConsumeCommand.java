package io.cairn.cli.perf;

import io.cairn.cli.common.Admins;
import io.cairn.cli.common.ClientCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.KeyValues;
import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetResetStrategy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn perf consume}: reads {@code --records} records from the beginning of every
 * partition of a topic as fast as it can and reports throughput, and as latency the duration of
 * the {@code poll()} that returned each record (how long the consumer waited for its data).
 */
@Command(name = "consume", sortOptions = false,
        description = {
            "Reads records from the beginning of a topic (or a group's committed offsets) as fast as possible and "
                    + "reports throughput and poll latency (the duration of the poll() that returned each record).",
            "Prints a progress line every few seconds, a summary line, and a 'RESULT {json}' line for scripts."
        })
public final class PerfConsumeCommand extends ClientCommand {
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to read.")
    private String topic;

    @Option(names = {"--records", "--messages"}, required = true, paramLabel = "N", description = "Records to read.")
    private long records;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP",
            description = "Read as a member of this consumer group (from its committed offsets, else the beginning) "
                    + "and commit at the end. Default: no group, every partition from the beginning.")
    private String group;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Give up after MS milliseconds without a new record. Default: ${DEFAULT-VALUE}.")
    private long idleTimeoutMs;

    @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE",
            description = "Any consumer setting (docs/client.md), e.g. fetch.max.bytes=52428800; repeatable.")
    private Map<String, String> consumerProps = new LinkedHashMap<>();

    @Mixin
    private PerfOptions perfOptions;

    @Override
    protected int execute() throws InterruptedException {
        if (records < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--records must be >= 1, got " + records);
        }
        KeyValues.requireKeys(spec, "--consumer-prop", consumerProps);
        Map<String, Object> settings = new LinkedHashMap<>(consumerProps);
        if (group != null) {
            settings.put("group.id", group);
            settings.put("enable.auto.commit", false);
        }
        PrintWriter out = out();
        PerfStats.Summary summary;
        try (CairnConsumer<byte[], byte[]> consumer = CairnConsumer.builder()
                .config(settings)
                .bootstrapServers(client.bootstrap())
                .autoOffsetReset(OffsetResetStrategy.EARLIEST)
                .build()) {
            // The consumer's own metadata names the partitions (no admin client of its own, as
            // ConsumerPerformance has none): one metadata request the consumer needs anyway.
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMillis(Admins.DEFAULT_TIMEOUT_MS));
            if (partitions.isEmpty()) {
                throw new CommandFailure("describe topic " + topic, "topic does not exist");
            }
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            PerfStats stats = new PerfStats(System.nanoTime());
            try (ProgressReporter ignored = ProgressReporter.start(stats, "received", perfOptions.reportingIntervalMs(), out)) {
                long received = 0;
                long lastRecordNanos = System.nanoTime();
                while (received < records) {
                    long pollStart = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                    long pollNanos = System.nanoTime() - pollStart;
                    received += tally(batch, records - received, pollNanos, stats);
                    if (!batch.isEmpty()) {
                        lastRecordNanos = System.nanoTime();
                    } else if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordNanos) >= idleTimeoutMs) {
                        break;
                    }
                }
                summary = stats.summary(System.nanoTime());
            }
            if (group != null) {
                consumer.commitSync();
            }
        }
        out.println(PerfReport.summaryLine(summary, "received"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("recordsTarget", records);
        result.put("group", group);
        out.println(PerfReport.resultLine("consume", result, summary));
        out.flush();
        if (summary.records() < records) {
            throw new CommandFailure(commandPath(), "only " + summary.records() + " of " + records + " records arrived; none for "
                    + idleTimeoutMs + " ms (--timeout-ms)");
        }
        return EXIT_OK;
    }

    /**
     * Counts one poll's records (at most {@code limit}) and their key and value bytes into
     * {@code stats} as ConsumerPerformance does: each record's key and value array as the
     * deserializer returned it, its length counted from the array; with one update per poll: every record of a poll has
     * the same latency, the poll's duration. A method of its own keeps the per-record loop small for
     * the JIT instead of inside the long-running loop of {@link #execute}.
     *
     * @return the records counted
     */
    static int tally(ConsumerRecords<byte[], byte[]> batch, long limit, long pollNanos, PerfStats stats) {
        int counted = 0;
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            if (counted >= limit) {
                break;
            }
            byte[] key = r.key();
            byte[] value = r.value();
            if (key != null) {
                bytes += key.length;
            }
            if (value != null) {
                bytes += value.length;
            }
            counted++;
        }
        stats.recordBatch(counted, bytes, pollNanos);
        return counted;
    }
}
