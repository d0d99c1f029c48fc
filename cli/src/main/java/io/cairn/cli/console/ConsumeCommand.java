package io.cairn.cli.console;

import io.cairn.cli.common.Admins;
import io.cairn.cli.common.ClientCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.KeyValues;
import io.cairn.client.TopicPartition;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.consumer.ConsumerRecord;
import io.cairn.client.consumer.ConsumerRecords;
import io.cairn.client.consumer.OffsetAndMetadata;
import io.cairn.client.consumer.OffsetResetStrategy;
import io.cairn.client.errors.CairnException;
import io.cairn.client.errors.WakeupException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cairn consume}: prints the records of a topic, one per line, until {@code --max-messages}
 * were printed, {@code --timeout-ms} passed without a new record, or the process is interrupted
 * (Ctrl-C ends it cleanly). Without a group it reads every partition of the topic from the end (or
 * the beginning with {@code --from-beginning}) and commits nothing; with {@code --group} it joins
 * the group, reads the partitions assigned to it from the group's committed offsets, and commits
 * the offsets of the records it printed (every few seconds and when it ends).
 */
@Command(name = "consume", sortOptions = false,
        description = {
            "Prints the records of a topic, one per line, as they arrive.",
            "Text lines hold the fields asked for with --print-*, tab-separated, in the order partition, offset, key, "
                    + "then the value. Ends after --max-messages records, after --timeout-ms without a new record, "
                    + "or on Ctrl-C."
        })
public final class ConsumeCommand extends ClientCommand {
    private static final long MAX_POLL_MS = 500;
    private static final long COMMIT_INTERVAL_MS = 5_000;
    private static final Duration FINAL_COMMIT_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to read.")
    private String topic;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP",
            description = "Read as a member of this consumer group, from its committed offsets, and commit the offsets "
                    + "of the records printed. Default: no group, every partition, nothing committed.")
    private String group;

    @Option(names = "--from-beginning",
            description = "Start at the earliest record (with --group: where the group has no committed offset). "
                    + "Default: only records produced from now on.")
    private boolean fromBeginning;

    @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N records.")
    private Long maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS",
            description = "Stop after MS milliseconds without a new record. Default: wait for ever.")
    private Long idleTimeoutMs;

    @Option(names = "--print-partition", description = "Print each record's partition.")
    private boolean printPartition;

    @Option(names = "--print-offset", description = "Print each record's offset.")
    private boolean printOffset;

    @Option(names = "--print-key", description = "Print each record's key.")
    private boolean printKey;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", converter = FormatConverter.class,
            description = "text (fields tab-separated) or json (one object per record with every field). "
                    + "Default: ${DEFAULT-VALUE}.")
    private RecordFormatter.Format format;

    @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE",
            description = "Any consumer setting (docs/client.md), e.g. fetch.max.bytes=1048576; repeatable.")
    private Map<String, String> consumerProps = new LinkedHashMap<>();

    @Override
    protected int execute() throws InterruptedException {
        validate();
        List<TopicPartition> partitions = Admins.partitions(client.bootstrap(), topic);
        RecordFormatter formatter = new RecordFormatter(format, printPartition, printOffset, printKey);
        Map<String, Object> settings = new LinkedHashMap<>(consumerProps);
        if (group != null) {
            settings.put("group.id", group);
            settings.put("enable.auto.commit", false);
        }
        long printed;
        CountDownLatch finished = new CountDownLatch(1);
        try (CairnConsumer<byte[], byte[]> consumer = CairnConsumer.builder()
                .config(settings)
                .bootstrapServers(client.bootstrap())
                .autoOffsetReset(fromBeginning ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST)
                .build()) {
            // Ctrl-C: wake the consumer, then let the JVM exit only once the offsets are committed
            // and the consumer closed (it leaves its group).
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    finished.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cairn-consume-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (group != null) {
                    consumer.subscribe(List.of(topic));
                } else {
                    consumer.assign(partitions);
                    if (fromBeginning) {
                        consumer.seekToBeginning(partitions);
                    } else {
                        consumer.seekToEnd(partitions);
                    }
                }
                printed = consumeUntilDone(consumer, formatter);
            } finally {
                removeHook(hook);
            }
        } finally {
            finished.countDown();
        }
        err().println("Processed a total of " + printed + " messages");
        err().flush();
        return EXIT_OK;
    }

    private void validate() {
        if (maxMessages != null && maxMessages < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-messages must be >= 1, got " + maxMessages);
        }
        if (idleTimeoutMs != null && idleTimeoutMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be >= 0, got " + idleTimeoutMs);
        }
        if (group != null && group.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--group must not be blank");
        }
        KeyValues.requireKeys(spec, "--consumer-prop", consumerProps);
    }

    /**
     * Polls and prints until done. With a group, commits the offset after each printed record along
     * the way, and at the end the position of every partition the member owns: after its last printed
     * record, at its first record fetched but not printed (past --max-messages), else where the
     * consumer stands (so the group's lag covers every partition, as a Kafka consumer's commit does).
     */
    private long consumeUntilDone(CairnConsumer<byte[], byte[]> consumer, RecordFormatter formatter) {
        PrintWriter out = out();
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> notPrinted = new HashMap<>();
        long printed = 0;
        long lastRecordNanos = System.nanoTime();
        long lastCommitNanos = System.nanoTime();
        try {
            while (maxMessages == null || printed < maxMessages) {
                long pollMs = MAX_POLL_MS;
                if (idleTimeoutMs != null) {
                    long idleLeftMs = idleTimeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordNanos);
                    if (idleLeftMs <= 0) {
                        break;
                    }
                    pollMs = Math.min(pollMs, idleLeftMs);
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMs));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (maxMessages != null && printed >= maxMessages) {
                        notPrinted.putIfAbsent(record.topicPartition(), OffsetAndMetadata.of(record.offset()));
                        continue;
                    }
                    out.print(formatter.format(record));
                    out.print(System.lineSeparator());
                    toCommit.put(record.topicPartition(), OffsetAndMetadata.of(record.offset() + 1));
                    printed++;
                }
                if (!records.isEmpty()) {
                    out.flush();
                    lastRecordNanos = System.nanoTime();
                }
                if (group != null && !toCommit.isEmpty()
                        && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCommitNanos) >= COMMIT_INTERVAL_MS) {
                    consumer.commitAsync(Map.copyOf(toCommit), (offsets, error) -> { });
                    lastCommitNanos = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: stop reading and finish normally
        } finally {
            out.flush();
        }
        if (group != null) {
            try {
                Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>(toCommit);
                for (TopicPartition tp : consumer.assignment()) {
                    if (!last.containsKey(tp)) {
                        OffsetAndMetadata first = notPrinted.get(tp);
                        last.put(tp, first != null ? first : OffsetAndMetadata.of(consumer.position(tp, FINAL_COMMIT_TIMEOUT)));
                    }
                }
                if (!last.isEmpty()) {
                    consumer.commitSync(last, FINAL_COMMIT_TIMEOUT);
                }
            } catch (CairnException e) {
                throw new CommandFailure("commit offsets of group " + group, e);
            }
        }
        return printed;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and waits for this thread
        }
    }

    /** Parses "text" or "json", in any case. */
    static final class FormatConverter implements ITypeConverter<RecordFormatter.Format> {
        @Override
        public RecordFormatter.Format convert(String value) {
            try {
                return RecordFormatter.Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected text or json, got '" + value + "'");
            }
        }
    }
}
