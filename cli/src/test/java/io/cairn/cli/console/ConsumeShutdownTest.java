package io.cairn.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CairnJvm;
import io.cairn.cli.CliTesting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn consume --group} in its own process, ended by SIGTERM as Ctrl-C ends it. */
class ConsumeShutdownTest {
    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker().groupTopic("stream", 2);

    @Test
    void aTerminatedConsumerCommitsWhatItPrintedBeforeExiting() throws Exception {
        cli.okWithInput("r1\nr2\nr3\nr4\nr5\n", "produce", "--topic", "stream");
        Process process = cairn("consume", "--topic", "stream", "--group", "watchers", "--from-beginning",
                "--bootstrap", cli.bootstrap());
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(process, lines), "consume-output");
        reader.start();
        try {
            Awaitility.await("all five records printed by the child").atMost(30, TimeUnit.SECONDS)
                    .until(() -> lines.size() >= 5);

            process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook wakes the consumer

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            assertThat(lines).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5");
            JsonNode group = CliTesting.json(cli.ok("groups", "describe", "--group", "watchers", "-o", "json").out())
                    .get("groups").get(0);
            assertThat(group.get("totalLag").asLong()).as("committed on the way out: %s", group).isZero();
            assertThat(group.get("offsets")).hasSize(2);
            assertThat(group.get("members")).as("left the group").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code cairn args...} in a new JVM on the test class path; standard error is discarded. */
    private static Process cairn(String... args) throws IOException {
        List<String> command = CairnJvm.command(List.of("-Xmx256m"), List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void readLines(Process process, List<String> lines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process is gone: the lines read so far are the test's evidence
        }
    }
}
