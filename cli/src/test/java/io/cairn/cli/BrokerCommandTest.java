package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.RawClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cairn broker}: options, the start-up line, SIGTERM, in a separate JVM as a user runs it. */
class BrokerCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on ([^\\s:]+):(\\d+)");
    private static final String END = "\u0000end of output";

    @TempDir
    Path dir;

    @Test
    void helpListsTheBrokerCommand() {
        StringWriter out = new StringWriter();
        CommandLine cli = Cairn.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("broker");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandLine cli = Cairn.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute()).isEqualTo(2);
        assertThat(err.toString()).contains("missing command");
    }

    @Test
    void anUnknownSettingStopsStartUpNamingTheKey() throws Exception {
        Cli cli = cairn("broker", "--data-dir", dir.toString(), "--port", "0", "--metrics-port", "-1",
                "--set", "no.such.key=1");
        try {
            List<String> lines = cli.linesUntilEnd();
            assertThat(cli.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cli.process.exitValue()).isEqualTo(1);
            assertThat(String.join("\n", lines)).contains("no.such.key");
        } finally {
            cli.process.destroyForcibly();
        }
    }

    @Test
    void aDataDirectoryInUseStopsTheSecondBroker() throws Exception {
        Cli first = cairn("broker", "--data-dir", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1");
        try {
            assertThat(first.awaitLine(LISTENING)).isNotNull();
            Cli second = cairn("broker", "--data-dir", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1");
            try {
                List<String> lines = second.linesUntilEnd();
                assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(second.process.exitValue()).isEqualTo(1);
                assertThat(String.join("\n", lines)).contains("failed to start").containsIgnoringCase("lock");
            } finally {
                second.process.destroyForcibly();
            }
        } finally {
            first.process.destroyForcibly();
        }
    }

    @Test
    void runsInTheForegroundAndStopsCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        Cli cli = cairn("broker", "--data-dir", data.toString(), "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0");
        try {
            Matcher listening = cli.awaitLine(LISTENING);
            assertThat(listening).as("a 'listening on' line in %s", cli.seen).isNotNull();
            int port = Integer.parseInt(listening.group(2));
            assertThat(port).isPositive();

            try (RawClient client = RawClient.connect(listening.group(1) + ":" + port)) {
                client.assertServes();
            }

            cli.process.toHandle().destroy(); // SIGTERM, keeping our end of the pipes open
            List<String> lines = cli.linesUntilEnd();
            assertThat(cli.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cli.process.exitValue()).isEqualTo(143);
            assertThat(lines).anyMatch(l -> l.contains("stopped cleanly"));
            assertThat(cli.seen).filteredOn(l -> l.contains("listening on")).hasSize(1);
            assertThat(cli.seen).as("one line per event: no stack traces").noneMatch(l -> l.startsWith("\tat "));
            assertThat(data.resolve(".clean-shutdown")).exists();
            assertThat(data.resolve("meta")).isDirectory();
        } finally {
            cli.process.destroyForcibly();
        }
    }

    /** A running {@code cairn} process whose merged output is read by a background thread. */
    private static final class Cli {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Cli(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output unreadable: " + e + ")");
                } finally {
                    lines.add(END);
                }
            }, "cairn-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits up to 60 s for a line matching {@code pattern}; null if the output ended or time ran out. */
        Matcher awaitLine(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    return null;
                }
                seen.add(line);
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
        }

        /** Every further line until the output ends (at most 60 s). */
        List<String> linesUntilEnd() throws InterruptedException {
            List<String> rest = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    return rest;
                }
                rest.add(line);
                seen.add(line);
            }
        }
    }

    /**
     * Runs {@code cairn args...} in a new JVM on the test class path, stderr merged into stdout,
     * logging with the cli's own logback.xml (not a test configuration that happens to be on the
     * class path).
     */
    private static Cli cairn(String... args) throws IOException {
        List<String> command = CairnJvm.command(List.of("-Xmx256m", CairnJvm.cliLogging()), List.of(args));
        return new Cli(new ProcessBuilder(command).redirectErrorStream(true).start());
    }
}
