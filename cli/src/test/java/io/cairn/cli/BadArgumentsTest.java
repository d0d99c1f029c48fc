package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reliability scenario 16: the {@code cairn} command and the broker's config loader given bad
 * arguments and bad files answer with one clear line naming the problem, no stack trace, and a
 * non-zero exit (2 for bad usage, 1 for a command or configuration that fails).
 *
 * <p>Client commands run in-process through {@link Cairn#commandLine()}, exactly what
 * {@link Cairn#main} executes (against a live broker where the broker must judge); {@code cairn
 * broker} runs as a user runs it, {@link Cairn#main} in its own JVM with the cli's logback.xml,
 * because its errors are log lines.
 */
class BadArgumentsTest {
    private static final Pattern STACK_TRACE = Pattern.compile("^\\s+at [\\w$.]+\\(|^Caused by: |Exception in thread|^\\s+\\.\\.\\. \\d+ more",
            Pattern.MULTILINE);

    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker();
    @TempDir
    static Path dir;

    @BeforeAll
    static void createTopic() {
        cli.broker().createTopic("existing", 1);
    }

    /** description, expected exit code, what the one error line must name, the arguments ({bootstrap} = the live broker). */
    static Stream<Arguments> clientCases() {
        return Stream.of(
                bad("unknown top-level option", 2, "--frobnicate", "--frobnicate"),
                bad("unknown command", 2, "frobnicate", "frobnicate"),
                bad("unknown subcommand option", 2, "--frobnicate", "topics", "list", "--frobnicate", "-b", "{bootstrap}"),
                bad("missing required option", 2, "--topic", "topics", "create", "-b", "{bootstrap}"),
                bad("not a number", 2, "abc", "topics", "create", "--topic", "t", "--partitions", "abc", "-b", "{bootstrap}"),
                bad("number too large", 2, "99999999999", "topics", "create", "--topic", "t", "--partitions", "99999999999", "-b", "{bootstrap}"),
                bad("zero partitions", 2, "partition", "topics", "create", "--topic", "t0", "--partitions", "0", "-b", "{bootstrap}"),
                bad("negative partitions", 2, "partition", "topics", "create", "--topic", "t1", "--partitions", "-3", "-b", "{bootstrap}"),
                bad("config without '='", 2, "retention.ms", "topics", "create", "--topic", "t2", "--config", "retention.ms", "-b", "{bootstrap}"),
                bad("unknown topic config key", 1, "no.such.key", "topics", "create", "--topic", "t3", "--config", "no.such.key=1", "-b", "{bootstrap}"),
                bad("topic config out of range", 1, "segment.bytes", "topics", "create", "--topic", "t4", "--config", "segment.bytes=1", "-b", "{bootstrap}"),
                bad("topic config not a number", 1, "retention.ms", "topics", "create", "--topic", "t5", "--config", "retention.ms=soon", "-b", "{bootstrap}"),
                bad("topic name with a slash", 1, "bad/name", "topics", "create", "--topic", "bad/name", "-b", "{bootstrap}"),
                bad("topic name '..'", 1, "..", "topics", "create", "--topic", "..", "-b", "{bootstrap}"),
                bad("empty topic name", 1, "topic", "topics", "create", "--topic", "", "-b", "{bootstrap}"),
                bad("topic name too long", 1, "249", "topics", "create", "--topic", "x".repeat(300), "-b", "{bootstrap}"),
                bad("describe a missing topic", 1, "no-such-topic", "topics", "describe", "--topic", "no-such-topic", "-b", "{bootstrap}"),
                bad("bootstrap without a port", 1, "nohost", "topics", "list", "-b", "nohost"),
                bad("bootstrap port not a number", 1, "localhost:http", "topics", "list", "-b", "localhost:http"),
                bad("bootstrap port out of range", 1, "99999", "topics", "list", "-b", "localhost:99999"),
                bad("bootstrap without a host", 1, ":7390", "topics", "list", "-b", ":7390"),
                bad("bad acks", 2, "--acks", "produce", "--topic", "existing", "--acks", "2", "-b", "{bootstrap}"),
                bad("unknown compression", 2, "--compression", "produce", "--topic", "existing", "--compression", "brotli", "-b", "{bootstrap}"),
                bad("unknown producer property", 1, "no.such.prop", "produce", "--topic", "existing", "--producer-prop", "no.such.prop=1", "-b", "{bootstrap}"),
                bad("bad consume format", 2, "--format", "consume", "--topic", "existing", "--format", "xml", "-b", "{bootstrap}"),
                bad("negative max messages", 2, "max-messages", "consume", "--topic", "existing", "--max-messages", "-1", "-b", "{bootstrap}"),
                bad("perf with negative records", 2, "records", "perf", "produce", "--topic", "existing", "--records", "-5", "--record-size", "10", "-b", "{bootstrap}"),
                bad("perf record size not a number", 2, "ten", "perf", "produce", "--topic", "existing", "--records", "5", "--record-size", "ten", "-b", "{bootstrap}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientCases")
    void clientCommandsAnswerBadInputWithOneLine(String description, int exitCode, String named, List<String> args) {
        String[] resolved = args.stream().map(a -> a.replace("{bootstrap}", cli.bootstrap())).toArray(String[]::new);
        CommandRun run = CommandRun.cairnWithInput("", resolved);

        assertThat(run.exitCode()).as("exit code of cairn %s\n%s", String.join(" ", resolved), run).isEqualTo(exitCode);
        assertOneErrorLine(run.out() + run.err(), named, run.toString());
    }

    /** description, what the one error line must name, the config file's content (null: no file), the arguments. */
    static Stream<Arguments> brokerCases() {
        return Stream.of(
                brokerBad("missing config file", "missing.properties", null, "--config", "{dir}/missing.properties"),
                brokerBad("config file is a directory", "conf.d", null, "--config", "{dir}/conf.d"),
                brokerBad("unknown key in the file", "no.such.key", "no.such.key=1\n", "--config", "{file}"),
                brokerBad("garbage file", "\\u", "\u0000\u0001\u0002\\uZZZZ binary ::= garbage\n", "--config", "{file}"),
                brokerBad("port out of range in the file", "port", "port=70000\n", "--config", "{file}"),
                brokerBad("bad number in the file", "max.frame.bytes", "max.frame.bytes=lots\n", "--config", "{file}"),
                brokerBad("value below its minimum", "num.partitions", null, "--set", "num.partitions=0"),
                brokerBad("unknown key through --set", "no.such.key", null, "--set", "no.such.key=1"),
                brokerBad("--set without '='", "frobnicate", null, "--set", "frobnicate"),
                brokerBad("--port not a number", "abc", null, "--port", "abc"),
                brokerBad("unknown broker option", "--frobnicate", null, "--frobnicate"),
                brokerBad("bad host", "not a host", null, "--host", "not a host!"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokerCases")
    void brokerConfigErrorsStopStartUpWithOneLine(String description, String named, String fileContent, List<String> args)
            throws Exception {
        Path caseDir = Files.createTempDirectory(dir, "case");
        Files.createDirectories(caseDir.resolve("conf.d"));
        Path file = caseDir.resolve("broker.properties");
        if (fileContent != null) {
            Files.writeString(file, fileContent, StandardCharsets.ISO_8859_1);
        }
        List<String> command = new ArrayList<>(List.of("broker", "--data-dir", caseDir.resolve("data").toString(),
                "--metrics-port", "-1"));
        if (!args.contains("--port")) {
            command.addAll(List.of("--port", "0"));
        }
        for (String a : args) {
            command.add(a.replace("{dir}", caseDir.toString()).replace("{file}", file.toString()));
        }
        Process process = cairnProcess(command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as("exit code of cairn %s\n%s", String.join(" ", command), output).isNotZero();
        assertOneErrorLine(output, named, output);
    }

    private static void assertOneErrorLine(String output, String named, String context) {
        assertThat(STACK_TRACE.matcher(output).find()).as("no stack trace in\n%s", context).isFalse();
        List<String> lines = Arrays.stream(output.split("\\R")).filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("exactly one line in\n%s", context).hasSize(1);
        assertThat(lines.get(0)).as("the line names the problem").contains(named);
    }

    private static Arguments bad(String description, int exitCode, String named, String... args) {
        return Arguments.of(description, exitCode, named, List.of(args));
    }

    private static Arguments brokerBad(String description, String named, String fileContent, String... args) {
        return Arguments.of(description, named, fileContent, List.of(args));
    }

    /** {@code java -cp <test class path> io.cairn.cli.Cairn args...}, output and error merged, no CAIRN_* variables. */
    private static Process cairnProcess(List<String> args) throws IOException {
        List<String> command = CairnJvm.command(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", CairnJvm.cliLogging()), args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CAIRN_"));
        return builder.start();
    }
}
