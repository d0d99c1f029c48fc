package io.cairn.cli;

import static io.cairn.cli.CommandRun.cairn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's contract without a broker: help everywhere, usage errors and failures as one line. */
class UsageTest {

    /** Every command path under {@code cairn}, e.g. "topics create"; the built-in help command aside. */
    static List<String> commandPaths() {
        List<String> paths = new ArrayList<>();
        collect(Cairn.commandLine(), "", paths);
        return paths;
    }

    private static void collect(CommandLine cmd, String prefix, List<String> paths) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandSpec().name().equals(name)) {
                String path = prefix.isEmpty() ? name : prefix + " " + name;
                paths.add(path);
                collect(sub, path, paths);
            }
        });
    }

    @Test
    void everyCommandHasHelpWithADescriptionForEachOption() {
        List<String> paths = commandPaths();
        assertThat(paths).contains("topics create", "topics list", "topics describe", "topics alter", "topics delete",
                "groups list", "groups describe", "groups reset-offsets", "groups delete",
                "produce", "consume", "perf produce", "perf consume", "perf e2e");
        for (String path : paths) {
            CommandRun run = cairn((path + " --help").split(" "));
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.out()).as(path).startsWith("Usage: cairn " + path);
            assertThat(run.err()).isEmpty();
            CommandLine cmd = find(path);
            for (OptionSpec option : cmd.getCommandSpec().options()) {
                assertThat(String.join(" ", option.description())).as("description of %s %s", path, option.longestName())
                        .isNotBlank();
            }
        }
    }

    @Test
    void aMissingRequiredOptionIsOneLineAndExitCode2() {
        CommandRun run = cairn("topics", "create");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("cairn: topics create: Missing required option: '--topic=TOPIC'")
                .endsWith("(see 'cairn topics create --help')");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownOptionIsOneLineWithASuggestion() {
        CommandRun run = cairn("topics", "list", "--outptu=json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("cairn: topics list: Unknown option: '--outptu=json'")
                .contains("did you mean --output?");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertUsageError(cairn("topics", "list", "--output", "yaml"), "expected text or json, got 'yaml'");
        assertUsageError(cairn("produce", "--topic", "t", "--acks", "2"), "expected 0, 1 or all, got '2'");
        assertUsageError(cairn("produce", "--topic", "t", "--compression", "brotli"), "got 'brotli'");
        assertUsageError(cairn("topics", "create", "--topic", "t", "--partitions", "0"), "--partitions must be >= 1, got 0");
        assertUsageError(cairn("topics", "create", "--topic", "t", "--partitions", "many"), "'many' is not an int");
        assertUsageError(cairn("topics", "alter", "--topic", "t"), "nothing to alter");
        assertUsageError(cairn("perf", "produce", "--topic", "t", "--records", "10", "--record-size", "10",
                "--throughput", "0"), "--throughput must be > 0, or -1 for no limit");
        assertUsageError(cairn("perf", "e2e", "--topic", "t", "--records", "10", "--record-size", "16"),
                "--record-size must be >= 24");
        assertUsageError(cairn("perf", "e2e", "--topic", "t", "--records", "10", "--record-size", "100",
                "--warmup-records", "10"), "--warmup-records must be >= 0 and less than --records");
        assertUsageError(cairn("consume", "--topic", "t", "--format", "xml"), "expected text or json, got 'xml'");
        assertUsageError(cairn("consume", "--topic", "t", "--group", " "), "--group must not be blank");
        assertUsageError(cairn("groups", "reset-offsets", "--group", "g", "--topic", "t"),
                "Error: Missing required argument (specify one of these): (--to-earliest | --to-latest | --to-offset=N | "
                        + "--to-datetime=ISO8601 | --shift-by=N)");
        assertUsageError(cairn("groups", "reset-offsets", "--group", "g", "--topic", "t", "--to-earliest", "--to-latest"),
                "--to-earliest, --to-latest are mutually exclusive");
        assertUsageError(cairn("groups", "reset-offsets", "--group", "g", "--topic", "t", "--to-earliest", "--dry-run",
                "--execute"), "--dry-run, --execute are mutually exclusive");
        assertUsageError(cairn("groups", "reset-offsets", "--group", "g", "--topic", "t", "--to-datetime", "yesterday"),
                "--to-datetime: 'yesterday' is not an ISO-8601 date-time");
        assertUsageError(cairn("groups", "reset-offsets", "--group", "g", "--topic", "t", "--to-offset", "-1"),
                "--to-offset must be >= 0, got -1");
        assertUsageError(cairn("groups", "describe"), "Missing required option: '--group=GROUP'");
        assertUsageError(cairn("consume", "--topic", "t", "--max-messages", "0"), "--max-messages must be >= 1, got 0");
    }

    @Test
    void aGroupOfCommandsAloneIsAUsageErrorNamingItsSubcommands() {
        CommandRun run = cairn("topics");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .contains("missing subcommand: one of create, list, describe, alter, delete");
    }

    @Test
    void anUnreachableBrokerFailsWithOneLineAndExitCode1() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }

        CommandRun run = cairn("topics", "list", "--bootstrap", "127.0.0.1:" + port, "--timeout-ms", "1000");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("cairn: list topics: cannot connect to the broker: Connection refused")
                .contains("127.0.0.1:" + port);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CommandRun run = cairn("topics", "list", "--bootstrap", "127.0.0.1:" + port, "--timeout-ms", "500", "--verbose");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines().get(0)).startsWith("cairn: list topics: ");
        assertThat(run.err()).contains("\tat ");
    }

    private static void assertUsageError(CommandRun run, String expected) {
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.errLines()).as("%s", run).singleElement().asString().startsWith("cairn: ").contains(expected);
    }

    private static CommandLine find(String path) {
        CommandLine cmd = Cairn.commandLine();
        for (String name : path.split(" ")) {
            cmd = cmd.getSubcommands().get(name);
        }
        return cmd;
    }
}
