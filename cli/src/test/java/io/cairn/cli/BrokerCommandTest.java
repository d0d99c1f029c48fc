package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.RawClient;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.wire.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cairn broker}: options, start-up line, SIGTERM. */
class BrokerCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on ([^\\s:]+):(\\d+)");

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
        Process process = cairn("broker", "--data-dir", dir.toString(), "--port", "0", "--metrics-port", "-1",
                "--set", "no.such.key=1");
        List<String> lines = readAll(process);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(String.join("\n", lines)).contains("no.such.key");
    }

    @Test
    void runsInTheForegroundAndStopsCleanlyOnSigterm() throws Exception {
        Process process = cairn("broker", "--data-dir", dir.resolve("data").toString(), "--host", "127.0.0.1",
                "--port", "0", "--metrics-port", "-1");
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            Matcher listening = null;
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening = m;
                    break;
                }
            }
            assertThat(listening).as("a 'listening on' line in %s", lines).isNotNull();
            assertThat(lines.stream().filter(l -> l.contains("listening on"))).hasSize(1);
            int port = Integer.parseInt(listening.group(2));
            assertThat(port).isPositive();

            try (RawClient client = RawClient.connect(listening.group(1) + ":" + port)) {
                assertThat(client.call(ApiSpecs.API_VERSIONS, new ApiVersionsRequest(null, null)).error())
                        .isEqualTo(ErrorCode.NONE);
            }

            process.toHandle().destroy(); // SIGTERM, keeping our end of the pipes open
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(lines).anyMatch(l -> l.contains("stopped cleanly"));
            assertThat(lines).as("one line per event: no stack traces").noneMatch(l -> l.startsWith("\tat "));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code cairn args...} in a new JVM on the test class path, stderr merged into stdout. */
    private static Process cairn(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Cairn.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static List<String> readAll(Process process) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }
}
