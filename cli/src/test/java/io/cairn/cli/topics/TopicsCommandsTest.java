package io.cairn.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cli.CliTesting;
import io.cairn.cli.CommandRun;
import io.cairn.cli.common.Sizes;
import io.cairn.storage.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn topics ...} against a real broker in this JVM. */
class TopicsCommandsTest {
    @RegisterExtension
    static final CliTesting cli = CliTesting.withBroker();

    @Test
    void createListDescribeAlterAndDeleteATopic() {
        assertThat(cli.ok("topics", "create", "--topic", "orders", "--partitions", "3", "--config", "retention.ms=3600000")
                .outLines()).containsExactly("Created topic orders.");
        assertThat(cli.ok("topics", "list").outLines()).contains("orders");
        JsonNode listed = CliTesting.json(cli.ok("topics", "list", "--output", "json").out());
        assertThat(listed.get("topics").isArray()).isTrue();
        assertThat(texts(listed.get("topics"))).contains("orders");

        cli.okWithInput("a\nb\nc\nd\n", "produce", "--topic", "orders");

        CommandRun text = cli.ok("topics", "describe", "--topic", "orders");
        assertThat(text.outLines().get(0)).startsWith("Topic: orders  Partitions: 3  Records: 4  Size: ");
        assertThat(text.outLines()).contains("Configs: retention.ms=3600000");
        assertThat(text.outLines().get(2)).matches("PARTITION +LEADER +START-OFFSET +END-OFFSET +RECORDS +SIZE +SEGMENTS");
        assertThat(text.outLines()).hasSize(6);

        JsonNode described = CliTesting.json(cli.ok("topics", "describe", "--topic", "orders", "--output", "json").out());
        JsonNode topic = described.get("topics").get(0);
        assertThat(topic.get("name").asText()).isEqualTo("orders");
        assertThat(topic.get("partitionCount").asInt()).isEqualTo(3);
        assertThat(topic.get("records").asLong()).isEqualTo(4);
        assertThat(topic.get("internal").asBoolean()).isFalse();
        long endOffsets = 0;
        for (JsonNode p : topic.get("partitions")) {
            assertThat(p.get("startOffset").asLong()).isZero();
            assertThat(p.get("records").asLong()).isEqualTo(p.get("endOffset").asLong());
            endOffsets += p.get("endOffset").asLong();
        }
        assertThat(endOffsets).isEqualTo(4);
        assertThat(config(topic, "retention.ms").get("value").asText()).isEqualTo("3600000");
        assertThat(config(topic, "retention.ms").get("isDefault").asBoolean()).isFalse();

        assertThat(cli.ok("topics", "alter", "--topic", "orders", "--partitions", "5", "--config", "retention.ms=7200000",
                "--config", "segment.ms=600000").outLines()).containsExactly(
                "Topic orders now has 5 partitions.",
                "Updated topic orders: set retention.ms=7200000, set segment.ms=600000.");
        topic = CliTesting.json(cli.ok("topics", "describe", "--topic", "orders", "-o", "json").out()).get("topics").get(0);
        assertThat(topic.get("partitions")).hasSize(5);
        assertThat(config(topic, "retention.ms").get("value").asText()).isEqualTo("7200000");
        assertThat(config(topic, "segment.ms").get("value").asText()).isEqualTo("600000");

        cli.ok("topics", "alter", "--topic", "orders", "--delete-config", "retention.ms");
        topic = CliTesting.json(cli.ok("topics", "describe", "--topic", "orders", "-o", "json").out()).get("topics").get(0);
        assertThat(config(topic, "retention.ms").get("isDefault").asBoolean()).isTrue();
        assertThat(config(topic, "segment.ms").get("isDefault").asBoolean()).isFalse();

        assertThat(cli.ok("topics", "delete", "--topic", "orders").outLines()).containsExactly("Deleted topic orders.");
        assertThat(cli.ok("topics", "list").outLines()).doesNotContain("orders");
        CommandRun gone = cli.run("topics", "describe", "--topic", "orders");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.errLines()).singleElement().asString().isEqualTo("cairn: describe topic orders: UNKNOWN_TOPIC_OR_PARTITION: topic does not exist");
    }

    @Test
    void describeShowsSizeOnDiskAndSegmentsOfEveryPartition() {
        cli.ok("topics", "create", "--topic", "sized", "--partitions", "2", "--config", "segment.bytes=1024");
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            input.append("k:").append("x".repeat(200)).append(i).append('\n');
        }
        // one batch per record, all with key k (one partition): ~40 batches of ~270 bytes roll the 1 KiB segments
        cli.okWithInput(input.toString(), "produce", "--topic", "sized", "--key-separator", ":",
                "--producer-prop", "batch.size=0");
        int written = logOf("sized", 0).logEndOffset() > 0 ? 0 : 1;
        Log log = logOf("sized", written);
        Log other = logOf("sized", 1 - written);
        assertThat(log.segmentCount()).as("segments of the written partition").isGreaterThanOrEqualTo(2);

        JsonNode topic = CliTesting.json(cli.ok("topics", "describe", "--topic", "sized", "-o", "json").out())
                .get("topics").get(0);

        JsonNode p = topic.get("partitions").get(written);
        assertThat(p.get("partition").asInt()).isEqualTo(written);
        assertThat(p.get("startOffset").asLong()).isZero();
        assertThat(p.get("endOffset").asLong()).isEqualTo(40);
        assertThat(p.get("sizeBytes").asLong()).isGreaterThan(40 * 200).isEqualTo(log.sizeInBytes());
        assertThat(p.get("segments").asLong()).isEqualTo(log.segmentCount());
        JsonNode empty = topic.get("partitions").get(1 - written);
        assertThat(empty.get("sizeBytes").asLong()).isZero().isEqualTo(other.sizeInBytes());
        assertThat(empty.get("segments").asLong()).isEqualTo(1);
        assertThat(topic.get("sizeBytes").asLong()).isEqualTo(log.sizeInBytes());
        assertThat(topic.get("segments").asLong()).isEqualTo(log.segmentCount() + 1L);

        CommandRun text = cli.ok("topics", "describe", "--topic", "sized");
        assertThat(text.outLines().get(0)).isEqualTo("Topic: sized  Partitions: 2  Records: 40  Size: "
                + Sizes.human(log.sizeInBytes()) + "  Segments: " + (log.segmentCount() + 1));
        assertThat(text.outLines().get(3 + written)).matches(written + " +0 +0 +40 +40 +"
                + Pattern.quote(Sizes.human(log.sizeInBytes())) + " +" + log.segmentCount());
        assertThat(text.outLines().get(4 - written)).matches((1 - written) + " +0 +0 +0 +0 +0 B +1");
    }

    @Test
    void describeWithoutATopicDescribesEveryTopic() {
        cli.ok("topics", "create", "--topic", "every-a", "--partitions", "1");
        cli.ok("topics", "create", "--topic", "every-b", "--partitions", "2");

        CommandRun run = cli.ok("topics", "describe");

        assertThat(run.outLines()).anyMatch(l -> l.startsWith("Topic: every-a  Partitions: 1"))
                .anyMatch(l -> l.startsWith("Topic: every-b  Partitions: 2"));
    }

    @Test
    void creatingAnExistingTopicFailsUnlessAskedNotTo() {
        cli.ok("topics", "create", "--topic", "twice", "--partitions", "1");

        CommandRun again = cli.run("topics", "create", "--topic", "twice", "--partitions", "1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.errLines()).singleElement().asString()
                .isEqualTo("cairn: create topic twice: TOPIC_ALREADY_EXISTS: topic twice already exists");
        assertThat(again.out()).isEmpty();

        assertThat(cli.ok("topics", "create", "--topic", "twice", "--if-not-exists").outLines())
                .containsExactly("Topic twice exists already.");
    }

    @Test
    void deletingAnUnknownTopicFailsUnlessAskedNotTo() {
        CommandRun run = cli.run("topics", "delete", "--topic", "never-created");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("cairn: delete topic never-created: ");
        assertThat(cli.ok("topics", "delete", "--topic", "never-created", "--if-exists").outLines())
                .containsExactly("Topic never-created does not exist.");
    }

    @Test
    void anInvalidTopicSettingIsRefusedByTheBrokerInOneLine() {
        CommandRun run = cli.run("topics", "create", "--topic", "bad-config", "--config", "retention.ms=soon");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("cairn: create topic bad-config: ")
                .contains("retention.ms");
    }

    @Test
    void partitionsCannotShrink() {
        cli.ok("topics", "create", "--topic", "shrink", "--partitions", "3");

        CommandRun run = cli.run("topics", "alter", "--topic", "shrink", "--partitions", "2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("cairn: create partitions for topic shrink: INVALID_PARTITIONS: ");
    }

    private static Log logOf(String topic, int partition) {
        return cli.broker().broker().logManager().log(new io.cairn.storage.TopicPartition(topic, partition)).orElseThrow();
    }

    private static JsonNode config(JsonNode topic, String name) {
        for (JsonNode c : topic.get("configs")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no config " + name + " in " + topic);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
