package io.cairn.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn produce} and {@code cairn consume} against a real broker in this JVM. */
class ConsoleCommandsTest {
    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker();

    @Test
    void keyedRecordsRoundTripWithTheirPartitionsAndOffsets() {
        cli.ok("topics", "create", "--topic", "keyed", "--partitions", "3");
        List<String> lines = List.of("user-1:login", "user-2:login", "user-1:click", "user-3:login", "user-2:logout",
                "user-1:logout", "user-4:a:b");

        CommandRun produced = cli.okWithInput(String.join("\n", lines) + "\n",
                "produce", "--topic", "keyed", "--key-separator", ":", "--print-acks");

        // '<partition> <offset> <line>' per record; offsets count up per partition; one key, one partition
        Map<Integer, Long> nextOffset = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, String> ackedAt = new HashMap<>();
        assertThat(produced.outLines()).hasSize(lines.size());
        for (String ack : produced.outLines()) {
            String[] parts = ack.split(" ", 3);
            int partition = Integer.parseInt(parts[0]);
            long offset = Long.parseLong(parts[1]);
            String line = parts[2];
            assertThat(offset).isEqualTo(nextOffset.getOrDefault(partition, 0L));
            nextOffset.put(partition, offset + 1);
            String key = line.substring(0, line.indexOf(':'));
            assertThat(partitionOfKey.computeIfAbsent(key, k -> partition)).as("partition of key %s", key).isEqualTo(partition);
            ackedAt.put(partition + "\t" + offset, line);
        }
        assertThat(ackedAt.values()).containsExactlyInAnyOrderElementsOf(lines);

        CommandRun consumed = cli.ok("consume", "--topic", "keyed", "--from-beginning", "--max-messages", "7",
                "--timeout-ms", "10000", "--print-partition", "--print-offset", "--print-key");

        assertThat(consumed.outLines()).hasSize(7);
        for (String line : consumed.outLines()) {
            String[] fields = line.split("\t");
            assertThat(fields).hasSize(4);
            String acked = ackedAt.get(fields[0] + "\t" + fields[1]);
            assertThat(acked).as("record at %s", line).isEqualTo(fields[2] + ":" + fields[3]);
        }
        assertThat(consumed.err()).contains("Processed a total of 7 messages");
    }

    @Test
    void valuesOnlyByDefaultAndFieldsInTheDocumentedOrder() {
        cli.ok("topics", "create", "--topic", "plain", "--partitions", "1");
        cli.okWithInput("k:first\nk:second\n", "produce", "--topic", "plain", "--key-separator", ":");

        assertThat(cli.ok("consume", "--topic", "plain", "--from-beginning", "--max-messages", "2").outLines())
                .containsExactly("first", "second");
        assertThat(cli.ok("consume", "--topic", "plain", "--from-beginning", "--max-messages", "2", "--print-key",
                "--print-offset").outLines()).containsExactly("0\tk\tfirst", "1\tk\tsecond");
        assertThat(cli.ok("consume", "--topic", "plain", "--from-beginning", "--max-messages", "1", "--print-key",
                "--print-partition").outLines()).containsExactly("0\tk\tfirst");
    }

    @Test
    void recordsWithoutKeysPrintNullKeys() {
        cli.ok("topics", "create", "--topic", "unkeyed", "--partitions", "1");
        cli.okWithInput("no key here\n", "produce", "--topic", "unkeyed");

        assertThat(cli.ok("consume", "--topic", "unkeyed", "--from-beginning", "--max-messages", "1", "--print-key")
                .outLines()).containsExactly("null\tno key here");
    }

    @Test
    void jsonFormatCarriesEveryField() {
        cli.ok("topics", "create", "--topic", "as-json", "--partitions", "1");
        cli.okWithInput("id-7:{\"amount\": 3}\n", "produce", "--topic", "as-json", "--key-separator", ":");

        CommandRun run = cli.ok("consume", "--topic", "as-json", "--from-beginning", "--max-messages", "1", "--format", "json");

        JsonNode record = CliTesting.json(run.outLines().get(0));
        assertThat(record.get("topic").asText()).isEqualTo("as-json");
        assertThat(record.get("partition").asInt()).isZero();
        assertThat(record.get("offset").asLong()).isZero();
        assertThat(record.get("timestamp").asLong()).isPositive();
        assertThat(record.get("timestampType").asText()).isEqualTo("CreateTime");
        assertThat(record.get("key").asText()).isEqualTo("id-7");
        assertThat(record.get("value").asText()).isEqualTo("{\"amount\": 3}");
        assertThat(record.get("headers").isArray()).isTrue();
    }

    @Test
    void consumeEndsAfterTheTimeoutWithoutNewRecords() {
        cli.ok("topics", "create", "--topic", "quiet", "--partitions", "2");

        CommandRun run = cli.ok("consume", "--topic", "quiet", "--timeout-ms", "300");

        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Processed a total of 0 messages");
    }

    @Test
    void withoutFromBeginningOnlyNewRecordsAreRead() {
        cli.ok("topics", "create", "--topic", "tail", "--partitions", "1");
        cli.okWithInput("old\n", "produce", "--topic", "tail");

        assertThat(cli.ok("consume", "--topic", "tail", "--timeout-ms", "300").outLines()).isEmpty();
    }

    @Test
    void aLineWithoutTheSeparatorStopsProduceWithOneErrorLine() {
        cli.ok("topics", "create", "--topic", "strict", "--partitions", "1");

        CommandRun run = cli.runWithInput("k:v\nno separator\nk:w\n", "produce", "--topic", "strict", "--key-separator", ":");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("cairn: produce: line 2 has no key separator ':' (1 records sent before it)");
        assertThat(cli.ok("consume", "--topic", "strict", "--from-beginning", "--timeout-ms", "500").outLines())
                .containsExactly("v");
    }

    @Test
    void producingToAMissingTopicFailsWithOneErrorLine() {
        CommandRun run = cli.runWithInput("x\n", "produce", "--topic", "does-not-exist", "--producer-prop", "max.block.ms=1000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("cairn: produce: 1 of 1 records to does-not-exist failed");
    }

    @Test
    void consumingAMissingTopicFailsWithOneErrorLine() {
        CommandRun run = cli.run("consume", "--topic", "does-not-exist", "--timeout-ms", "100");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("cairn: describe topic does-not-exist: UNKNOWN_TOPIC_OR_PARTITION: topic does not exist");
    }

    @Test
    void acksZeroPrintsUnknownOffsets() {
        cli.ok("topics", "create", "--topic", "fire-and-forget", "--partitions", "1");

        CommandRun run = cli.okWithInput("a\nb\n", "produce", "--topic", "fire-and-forget", "--acks", "0", "--print-acks");

        List<String> expected = new ArrayList<>(List.of("0 -1 a", "0 -1 b"));
        assertThat(run.outLines()).containsExactlyElementsOf(expected);
    }
}
