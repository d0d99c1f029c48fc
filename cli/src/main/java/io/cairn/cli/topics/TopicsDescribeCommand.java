package io.cairn.cli.topics;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.cli.common.Sizes;
import io.cairn.cli.common.TextTable;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConfigEntry;
import io.cairn.client.admin.ConfigResource;
import io.cairn.client.admin.PartitionDescription;
import io.cairn.client.admin.TopicDescription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn topics describe}: per topic its partitions with leader, start and end offsets,
 * records, size on disk and segments (all from one Metadata v1 request through
 * {@link CairnAdmin#describeTopics}), and its settings.
 */
@Command(name = "describe", sortOptions = false,
        description = "Describes topics: partitions with leader, start and end offsets, record count, size on disk and "
                + "segments, and the topic's settings.")
public final class TopicsDescribeCommand extends AdminCommand {

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic to describe; repeatable. Default: every topic.")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--include-internal", description = "Without --topic, describe internal topics too.")
    private boolean includeInternal;

    @Option(names = "--all-configs", description = "Show every setting, not only those set on the topic (text output).")
    private boolean allConfigs;

    @Mixin
    private OutputOption output;

    @Override
    protected int execute() throws InterruptedException {
        Map<String, TopicDescription> descriptions;
        Map<ConfigResource, Map<String, ConfigEntry>> configs;
        try (CairnAdmin admin = openAdmin()) {
            Collection<String> names = topics.isEmpty() ? await("list topics", admin.listTopics(includeInternal)) : topics;
            String what = topics.size() == 1 ? "describe topic " + topics.get(0) : "describe topics";
            descriptions = await(what, admin.describeTopics(names));
            configs = await(what, admin.describeConfigs(names.stream().map(ConfigResource::topic).toList()));
        }
        PrintWriter out = out();
        if (output.json()) {
            out.println(json(descriptions, configs));
            return EXIT_OK;
        }
        boolean first = true;
        for (TopicDescription topic : descriptions.values()) {
            if (!first) {
                out.println();
            }
            first = false;
            text(out, topic, configs.getOrDefault(ConfigResource.topic(topic.name()), Map.of()));
        }
        return EXIT_OK;
    }

    private void text(PrintWriter out, TopicDescription topic, Map<String, ConfigEntry> configs) {
        out.println("Topic: " + topic.name() + "  Partitions: " + topic.partitions().size() + "  Records: "
                + topic.recordCount() + "  Size: " + Sizes.human(topic.sizeBytes()) + "  Segments: "
                + topic.segmentCount() + (topic.internal() ? "  Internal: true" : ""));
        StringJoiner shown = new StringJoiner(", ");
        for (ConfigEntry e : configs.values()) {
            if (allConfigs || !e.isDefault()) {
                shown.add(e.name() + "=" + (e.sensitive() ? "(sensitive)" : e.value()));
            }
        }
        out.println("Configs: " + (shown.length() == 0 ? "(all defaults)" : shown.toString()));
        TextTable table = new TextTable("PARTITION", "LEADER", "START-OFFSET", "END-OFFSET", "RECORDS", "SIZE", "SEGMENTS");
        for (PartitionDescription p : topic.partitions()) {
            table.row(p.partition(), p.leaderId(), p.startOffset(), p.endOffset(), p.recordCount(),
                    Sizes.human(p.sizeBytes()), p.segmentCount());
        }
        table.print(out);
    }

    private static String json(Map<String, TopicDescription> descriptions,
                               Map<ConfigResource, Map<String, ConfigEntry>> configs) {
        JsonWriter json = new JsonWriter().beginObject().name("topics").beginArray();
        for (TopicDescription topic : descriptions.values()) {
            json.beginObject()
                    .name("name").value(topic.name())
                    .name("topicId").value(topic.topicId() == null ? null : topic.topicId().toString())
                    .name("internal").value(topic.internal())
                    .name("partitionCount").value(topic.partitions().size())
                    .name("records").value(topic.recordCount())
                    .name("sizeBytes").value(topic.sizeBytes())
                    .name("segments").value(topic.segmentCount())
                    .name("partitions").beginArray();
            for (PartitionDescription p : topic.partitions()) {
                json.beginObject()
                        .name("partition").value(p.partition())
                        .name("leader").value(p.leaderId())
                        .name("startOffset").value(p.startOffset())
                        .name("endOffset").value(p.endOffset())
                        .name("records").value(p.recordCount())
                        .name("sizeBytes").value(p.sizeBytes())
                        .name("segments").value(p.segmentCount())
                        .endObject();
            }
            json.endArray().name("configs").beginArray();
            for (ConfigEntry e : configs.getOrDefault(ConfigResource.topic(topic.name()), Map.of()).values()) {
                json.beginObject()
                        .name("name").value(e.name())
                        .name("value").value(e.sensitive() ? null : e.value())
                        .name("isDefault").value(e.isDefault())
                        .name("readOnly").value(e.readOnly())
                        .endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray().endObject().toString();
    }
}
