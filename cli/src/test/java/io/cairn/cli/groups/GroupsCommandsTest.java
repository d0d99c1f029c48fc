package io.cairn.cli.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import io.cairn.client.consumer.CairnConsumer;
import io.cairn.client.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn groups ...} against a real broker with a group coordinator. */
class GroupsCommandsTest {
    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker()
            .groupTopic("ledger", 3).groupTopic("moves", 1).groupTopic("busy", 2).groupTopic("fresh", 2);

    @Test
    void lagIsZeroAfterAFullConsumeAndAResetToEarliestReadsEverythingAgain() {
        List<String> values = IntStream.range(0, 30).mapToObj(i -> "entry-" + i).toList();
        cli.okWithInput(String.join("\n", values) + "\n", "produce", "--topic", "ledger");
        assertThat(cli.ok("consume", "--topic", "ledger", "--group", "audit", "--from-beginning", "--max-messages", "30",
                "--timeout-ms", "10000").outLines()).containsExactlyInAnyOrderElementsOf(values);

        assertThat(cli.ok("groups", "list").outLines()).anyMatch(l -> l.matches("audit +Empty"));
        JsonNode listed = CliTesting.json(cli.ok("groups", "list", "-o", "json").out());
        assertThat(listed.get("groups").findValuesAsText("groupId")).contains("audit");

        CommandRun described = cli.ok("groups", "describe", "--group", "audit");
        assertThat(described.outLines().get(0)).startsWith("Group: audit  State: Empty  Members: 0").endsWith("Lag: 0");
        assertThat(described.outLines().get(1))
                .matches("TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +MEMBER-ID +CLIENT-ID");
        assertThat(described.outLines()).hasSize(5);
        JsonNode group = CliTesting.json(cli.ok("groups", "describe", "--group", "audit", "-o", "json").out())
                .get("groups").get(0);
        assertThat(group.get("totalLag").asLong()).isZero();
        assertThat(group.get("offsets")).hasSize(3);
        long committed = 0;
        for (JsonNode o : group.get("offsets")) {
            assertThat(o.get("lag").asLong()).isZero();
            assertThat(o.get("committedOffset").asLong()).isEqualTo(o.get("logEndOffset").asLong());
            committed += o.get("committedOffset").asLong();
        }
        assertThat(committed).isEqualTo(30);

        CommandRun dryRun = cli.ok("groups", "reset-offsets", "--group", "audit", "--topic", "ledger", "--to-earliest");
        assertThat(dryRun.outLines()).hasSize(4).allMatch(l -> l.startsWith("GROUP") || l.matches("audit +ledger +\\d +\\d+ +0"));
        assertThat(dryRun.err()).contains("Dry run: nothing changed");
        assertThat(totalLag("audit")).as("a dry run changes nothing").isZero();

        JsonNode executed = CliTesting.json(cli.ok("groups", "reset-offsets", "--group", "audit", "--topic", "ledger",
                "--to-earliest", "--execute", "-o", "json").out());
        assertThat(executed.get("executed").asBoolean()).isTrue();
        assertThat(executed.get("partitions").findValuesAsText("newOffset")).containsOnly("0");
        assertThat(totalLag("audit")).isEqualTo(30);

        assertThat(cli.ok("consume", "--topic", "ledger", "--group", "audit", "--max-messages", "30", "--timeout-ms", "10000")
                .outLines()).as("re-read after the reset").containsExactlyInAnyOrderElementsOf(values);
        assertThat(totalLag("audit")).isZero();
    }

    @Test
    void eachResetTargetMovesTheCommittedOffsetAsPlanned() {
        long beforeMs = System.currentTimeMillis() - 1;
        cli.okWithInput(String.join("\n", IntStream.range(0, 10).mapToObj(i -> "m" + i).toList()) + "\n",
                "produce", "--topic", "moves");
        cli.ok("consume", "--topic", "moves", "--group", "mover", "--from-beginning", "--max-messages", "10",
                "--timeout-ms", "10000");

        assertThat(newOffset("--shift-by", "-3")).isEqualTo(7);
        assertThat(newOffset("--shift-by", "-300")).isEqualTo(0);
        assertThat(newOffset("--to-offset", "4")).isEqualTo(4);
        assertThat(newOffset("--to-offset", "100")).isEqualTo(10);
        assertThat(newOffset("--to-latest")).isEqualTo(10);
        assertThat(newOffset("--to-datetime", "2000-01-01T00:00:00Z")).isZero();
        assertThat(newOffset("--to-datetime", java.time.Instant.ofEpochMilli(beforeMs).toString())).isZero();
        assertThat(newOffset("--to-datetime", "2999-01-01T00:00:00Z")).isEqualTo(10);

        cli.ok("groups", "reset-offsets", "--group", "mover", "--topic", "moves", "--shift-by", "-3", "--execute");
        assertThat(cli.ok("consume", "--topic", "moves", "--group", "mover", "--max-messages", "3", "--timeout-ms", "10000")
                .outLines()).containsExactly("m7", "m8", "m9");
    }

    @Test
    void aGroupWithActiveMembersShowsThemAndRefusesResetAndDelete() {
        cli.okWithInput("a\nb\n", "produce", "--topic", "busy");
        try (CairnConsumer<byte[], byte[]> member = CairnConsumer.builder().bootstrapServers(cli.bootstrap())
                .clientId("busy-member").config("group.id", "workers").build()) {
            member.subscribe(List.of("busy"));
            Awaitility.await("partitions assigned to the member").atMost(20, TimeUnit.SECONDS)
                    .until(() -> {
                        member.poll(Duration.ofMillis(100));
                        return member.assignment().size() == 2;
                    });
            // Committed offsets keep the group once its member leaves (a group left with neither members
            // nor offsets is deleted), which the end of this test relies on. Without them, whether close()
            // committed anything depended on the member having resolved its positions by then.
            for (TopicPartition partition : member.assignment()) {
                member.position(partition);
            }
            member.commitSync();
            assertThat(member.committed(member.assignment())).as("the member's committed offsets").doesNotContainValue(null);

            JsonNode group = CliTesting.json(cli.ok("groups", "describe", "--group", "workers", "-o", "json").out())
                    .get("groups").get(0);
            assertThat(group.get("members")).hasSize(1);
            JsonNode m = group.get("members").get(0);
            assertThat(m.get("clientId").asText()).isEqualTo("busy-member");
            assertThat(m.get("assignment").findValuesAsText("topic")).containsExactly("busy", "busy");
            CommandRun text = cli.ok("groups", "describe", "--group", "workers");
            assertThat(text.outLines()).anyMatch(l -> l.startsWith("MEMBER-ID") && l.contains("PARTITIONS"))
                    .anyMatch(l -> l.contains("busy-member") && l.endsWith("busy-0,busy-1"));

            CommandRun reset = cli.run("groups", "reset-offsets", "--group", "workers", "--topic", "busy", "--to-earliest",
                    "--execute");
            assertThat(reset.exitCode()).isEqualTo(1);
            assertThat(reset.errLines()).singleElement().asString()
                    .startsWith("cairn: reset offsets of group workers: the group has 1 active members");
            CommandRun delete = cli.run("groups", "delete", "--group", "workers");
            assertThat(delete.exitCode()).isEqualTo(1);
            assertThat(delete.errLines()).singleElement().asString()
                    .startsWith("cairn: delete group workers: NON_EMPTY_GROUP");
        }

        Awaitility.await("the member left").atMost(20, TimeUnit.SECONDS)
                .until(() -> cli.ok("groups", "describe", "--group", "workers").outLines().get(0).contains("Members: 0"));
        assertThat(cli.ok("groups", "delete", "--group", "workers").outLines()).containsExactly("Deleted group workers.");
        assertThat(cli.ok("groups", "list").outLines()).noneMatch(l -> l.startsWith("workers "));
    }

    @Test
    void resettingAGroupThatDoesNotExistCreatesIt() {
        cli.okWithInput("x\ny\nz\n", "produce", "--topic", "fresh");

        cli.ok("groups", "reset-offsets", "--group", "newcomer", "--topic", "fresh", "--to-earliest", "--execute");

        assertThat(totalLag("newcomer")).isEqualTo(3);
    }

    @Test
    void describingAnUnknownGroupFailsWithOneLine() {
        CommandRun run = cli.run("groups", "describe", "--group", "nobody");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("cairn: describe group nobody: GROUP_ID_NOT_FOUND");
    }

    private static long totalLag(String group) {
        return CliTesting.json(cli.ok("groups", "describe", "--group", group, "-o", "json").out())
                .get("groups").get(0).get("totalLag").asLong();
    }

    private static long newOffset(String... target) {
        List<String> args = new java.util.ArrayList<>(List.of("groups", "reset-offsets", "--group", "mover", "--topic",
                "moves", "-o", "json"));
        args.addAll(List.of(target));
        JsonNode plan = CliTesting.json(cli.ok(args.toArray(String[]::new)).out());
        assertThat(plan.get("executed").asBoolean()).isFalse();
        return plan.get("partitions").get(0).get("newOffset").asLong();
    }
}
