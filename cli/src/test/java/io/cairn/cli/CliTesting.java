package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.broker.testing.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code cairn} commands in-process against one {@link EmbeddedBroker}. Used by one test thread. */
public final class CliTesting {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedBroker broker;

    public CliTesting(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /** {@code cairn args... --bootstrap <broker>}. */
    public CommandRun run(String... args) {
        return CommandRun.cairn(withBootstrap(args));
    }

    /** {@code cairn args... --bootstrap <broker>} with {@code stdin} as standard input. */
    public CommandRun runWithInput(String stdin, String... args) {
        return CommandRun.cairnWithInput(stdin, withBootstrap(args));
    }

    /** Runs and checks the command succeeded. */
    public CommandRun ok(String... args) {
        return succeeded(run(args), args);
    }

    /** Runs with {@code stdin} and checks the command succeeded. */
    public CommandRun okWithInput(String stdin, String... args) {
        return succeeded(runWithInput(stdin, args), args);
    }

    private static CommandRun succeeded(CommandRun run, String... args) {
        if (run.exitCode() != 0) {
            throw new AssertionError("cairn " + String.join(" ", args) + " failed: " + run);
        }
        return run;
    }

    private String[] withBootstrap(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap");
        all.add(broker.bootstrap());
        return all.toArray(String[]::new);
    }

    /** Parses one JSON document, failing the test when it is not valid JSON. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + text, e);
        }
    }
}
