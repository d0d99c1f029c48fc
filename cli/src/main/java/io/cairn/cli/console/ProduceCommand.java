package io.cairn.cli.console;

import io.cairn.cli.common.ClientCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.InFlight;
import io.cairn.client.producer.CairnProducer;
import io.cairn.client.producer.ProducerRecord;
import io.cairn.client.serialization.Serdes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn produce}: sends one record per line of standard input (UTF-8), the key before
 * {@code --key-separator} when one is given. Ends at the end of input, once every record is
 * acknowledged or failed; exits 1 when any failed.
 */
@Command(name = "produce", sortOptions = false,
        description = {
            "Sends one record per line of standard input (UTF-8) to a topic.",
            "With --key-separator the text before the first separator is the key, the rest the value; "
                    + "a line without the separator stops the command.",
            "Ends at the end of input once every record is acknowledged; stops at the first failed record and exits 1."
        })
public final class ProduceCommand extends ClientCommand {
    /** How long acknowledgement callbacks may lag behind a completed flush. */
    private static final long ACK_CALLBACK_WAIT_MS = 60_000;
    /** How long Ctrl-C waits for records already sent to be delivered. */
    private static final Duration SHUTDOWN_DELIVERY = Duration.ofSeconds(10);

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Topic to write to.")
    private String topic;

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "Split each line into key and value at the first SEP (e.g. ':' or a tab).")
    private String keySeparator;

    @Option(names = "--print-acks",
            description = "Print '<partition> <offset> <line>' for every acknowledged record, in acknowledgement order "
                    + "(offset -1 with --acks 0).")
    private boolean printAcks;

    @Mixin
    private ProducerOptions producerOptions;

    private InputStream input = System.in;

    /** Reads lines from {@code in} instead of standard input (tests). */
    public void input(InputStream in) {
        this.input = in;
    }

    @Override
    protected int execute() throws IOException, InterruptedException {
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--key-separator must not be empty");
        }
        producerOptions.validate(spec);
        Outcome outcome = new Outcome();
        try (CairnProducer<String, String> producer = CairnProducer.builder()
                .config(producerOptions.settings())
                .bootstrapServers(client.bootstrap())
                .keySerializer(Serdes.stringSerializer())
                .valueSerializer(Serdes.stringSerializer())
                .build();
             BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            // Ctrl-C while reading a terminal: deliver what was sent before the JVM exits.
            Thread hook = new Thread(() -> producer.close(SHUTDOWN_DELIVERY), "cairn-produce-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                sendLines(producer, lines, outcome);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook closes the producer
                }
            }
            producer.flush();
            if (!outcome.inFlight.awaitNone(ACK_CALLBACK_WAIT_MS)) {
                throw new CommandFailure(commandPath(), outcome.inFlight.count() + " records still unacknowledged "
                        + ACK_CALLBACK_WAIT_MS + " ms after the producer flushed");
            }
        }
        out().flush();
        if (outcome.badLine != null) {
            throw new CommandFailure(commandPath(), outcome.badLine + " (" + outcome.sent + " records sent before it)");
        }
        if (outcome.failed.get() > 0) {
            throw new CommandFailure(commandPath(), outcome.failed.get() + " of " + outcome.sent + " records to " + topic
                    + " failed; first: " + Failures.reason(outcome.firstFailure.get()));
        }
        return EXIT_OK;
    }

    /**
     * Sends one record per line until the end of input, a line without the separator, or the first
     * failed record. Acknowledgements are printed from the producer's callback thread, in the order
     * they arrive.
     */
    private void sendLines(CairnProducer<String, String> producer, BufferedReader lines, Outcome outcome)
            throws IOException {
        PrintWriter out = out();
        long lineNumber = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNumber++;
            KeyedLine keyed = KeyedLine.parse(line, keySeparator);
            if (keyed == null) {
                outcome.badLine = "line " + lineNumber + " has no key separator '" + keySeparator + "'";
                return;
            }
            String printed = line;
            outcome.inFlight.begin();
            producer.send(new ProducerRecord<>(topic, keyed.key(), keyed.value())).whenComplete((metadata, error) -> {
                try {
                    if (error != null) {
                        outcome.failed.incrementAndGet();
                        outcome.firstFailure.compareAndSet(null, error);
                    } else if (printAcks) {
                        out.println(metadata.partition() + " " + metadata.offset() + " " + printed);
                    }
                } finally {
                    outcome.inFlight.end();
                }
            });
            outcome.sent++;
            if (outcome.failed.get() > 0) {
                return; // stop at the first failure rather than fail every remaining line the same way
            }
        }
    }

    /** What a run did: written by the command's thread, except the failure fields (callback thread). */
    private static final class Outcome {
        final InFlight inFlight = new InFlight();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long sent;
        String badLine;
    }
}
