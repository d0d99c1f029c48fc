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
        PrintWriter out = out();
        InFlight inFlight = new InFlight();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long sent = 0;
        String badLine = null;
        long lineNumber = 0;
        try (CairnProducer<String, String> producer = CairnProducer.builder()
                .config(producerOptions.settings())
                .bootstrapServers(client.bootstrap())
                .keySerializer(Serdes.stringSerializer())
                .valueSerializer(Serdes.stringSerializer())
                .build();
             BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                lineNumber++;
                KeyedLine keyed = KeyedLine.parse(line, keySeparator);
                if (keyed == null) {
                    badLine = "line " + lineNumber + " has no key separator '" + keySeparator + "'";
                    break;
                }
                String printed = line;
                inFlight.begin();
                producer.send(new ProducerRecord<>(topic, keyed.key(), keyed.value())).whenComplete((metadata, error) -> {
                    try {
                        if (error != null) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, error);
                        } else if (printAcks) {
                            out.println(metadata.partition() + " " + metadata.offset() + " " + printed);
                        }
                    } finally {
                        inFlight.end();
                    }
                });
                sent++;
                if (failed.get() > 0) {
                    break; // stop at the first failure rather than fail every remaining line the same way
                }
            }
            producer.flush();
            if (!inFlight.awaitNone(ACK_CALLBACK_WAIT_MS)) {
                throw new CommandFailure(commandPath(), inFlight.count() + " records still unacknowledged "
                        + ACK_CALLBACK_WAIT_MS + " ms after the producer flushed");
            }
        }
        out.flush();
        if (badLine != null) {
            throw new CommandFailure(commandPath(), badLine + " (" + sent + " records sent before it)");
        }
        if (failed.get() > 0) {
            throw new CommandFailure(commandPath(), failed.get() + " of " + sent + " records to " + topic
                    + " failed; first: " + Failures.reason(firstFailure.get()));
        }
        return EXIT_OK;
    }
}
