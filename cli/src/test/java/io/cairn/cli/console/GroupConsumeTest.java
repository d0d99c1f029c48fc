package io.cairn.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn consume --group} and {@code cairn perf consume --group} against a real broker with a group coordinator. */
class GroupConsumeTest {
    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker().groupTopic("shared", 3).groupTopic("late", 1).groupTopic("perf-group", 2);

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
