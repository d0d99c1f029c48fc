package io.cairn.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.broker.testing.EmbeddedBroker;
import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn consume --group} and {@code cairn perf consume --group} against a real broker with a group coordinator. */
class GroupConsumeTest {
    @TempDir
    static Path dir;
    static EmbeddedBroker broker;
    static CliTesting cli;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(dir);
        cli = new CliTesting(broker);
        cli.ok("topics", "create", "--topic", "shared", "--partitions", "3");
        cli.ok("topics", "create", "--topic", "late", "--partitions", "1");
        cli.ok("topics", "create", "--topic", "perf-group", "--partitions", "2");
        // The coordinator takes its topic image at start; until topic admin tells it about new topics
        // (GroupCoordinatorExtension.topicsChanged), a restart makes it see them.
        broker.restart();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aGroupContinuesWhereItsLastRunStoppedAndCommitsOnlyWhatWasPrinted() {
        List<String> values = IntStream.range(0, 30).mapToObj(i -> "v" + i).toList();
        cli.okWithInput(String.join("\n", values) + "\n", "produce", "--topic", "shared");

        List<String> seen = new ArrayList<>(cli.ok("consume", "--topic", "shared", "--group", "g1", "--from-beginning",
                "--max-messages", "12", "--timeout-ms", "10000").outLines());
        assertThat(seen).hasSize(12);
        seen.addAll(cli.ok("consume", "--topic", "shared", "--group", "g1", "--timeout-ms", "3000").outLines());

        assertThat(seen).as("every record once across both runs").containsExactlyInAnyOrderElementsOf(values);
        assertThat(cli.ok("consume", "--topic", "shared", "--group", "g1", "--timeout-ms", "1500").outLines())
                .as("nothing left for the group").isEmpty();
    }

    @Test
    void perfConsumeInAGroupCommitsWhatItRead() {
        cli.okWithInput("a\nb\nc\nd\n", "produce", "--topic", "perf-group");

        CommandRun run = cli.ok("perf", "consume", "--topic", "perf-group", "--group", "pg", "--records", "4",
                "--reporting-interval-ms", "0");

        assertThat(run.outLines()).anyMatch(l -> l.startsWith("RESULT ") && l.contains("\"group\":\"pg\"")
                && l.contains("\"records\":4,"));
        assertThat(cli.ok("consume", "--topic", "perf-group", "--group", "pg", "--from-beginning", "--timeout-ms", "1500")
                .outLines()).as("the group committed all four").isEmpty();
    }

    @Test
    void aNewGroupWithoutFromBeginningStartsAtTheEnd() {
        cli.okWithInput("old\n", "produce", "--topic", "late");

        assertThat(cli.ok("consume", "--topic", "late", "--group", "g2", "--timeout-ms", "1500").outLines()).isEmpty();
    }
}
