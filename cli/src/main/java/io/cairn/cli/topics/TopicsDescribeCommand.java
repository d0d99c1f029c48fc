package io.cairn.cli.topics;

import io.cairn.broker.config.BrokerConfigKeys;
import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.cli.common.Sizes;
import io.cairn.cli.common.TextTable;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConfigEntry;
import io.cairn.client.admin.ConfigResource;
import io.cairn.client.admin.PartitionDescription;
import io.cairn.client.admin.TopicDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn topics describe}: per topic its partitions with leader, start and end offsets,
 * records, size on disk and segments, and its settings. Sizes and segment counts come from the
 * broker's metrics endpoint (the protocol does not carry them); when it cannot be reached they
 * are shown as "-" (null in JSON).
 */
@Command(name = "describe", sortOptions = false,
        description = {
            "Describes topics: partitions with leader, start and end offsets, record count, size on disk and "
                    + "segments, and the topic's settings.",
            "Sizes and segment counts are read from the broker's metrics endpoint; '-' when it cannot be reached."
        })
public final class TopicsDescribeCommand extends AdminCommand {
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(2);

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic to describe; repeatable. Default: every topic.")
    private List<String> topics = new ArrayList<>();

    @Option(names = "--include-internal", description = "Without --topic, describe internal topics too.")
    private boolean includeInternal;

    @Option(names = "--all-configs", description = "Show every setting, not only those set on the topic (text output).")
    private boolean allConfigs;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "The broker's metrics endpoint. Default: the bootstrap host, port 7391.")
    private String metrics;

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
        LogSizes sizes = logSizes();
        PrintWriter out = out();
        if (output.json()) {
            out.println(json(descriptions, configs, sizes));
            return EXIT_OK;
        }
        boolean first = true;
        for (TopicDescription topic : descriptions.values()) {
            if (!first) {
                out.println();
            }
            first = false;
            text(out, topic, configs.getOrDefault(ConfigResource.topic(topic.name()), Map.of()), sizes);
        }
        return EXIT_OK;
    }

    private void text(PrintWriter out, TopicDescription topic, Map<String, ConfigEntry> configs, LogSizes sizes) {
        Totals totals = Totals.of(topic, sizes);
        out.println("Topic: " + topic.name() + "  Partitions: " + topic.partitions().size() + "  Records: "
                + topic.recordCount() + "  Size: " + orDash(Sizes.human(totals.sizeBytes())) + "  Segments: "
                + orDash(totals.segments() < 0 ? null : totals.segments()) + (topic.internal() ? "  Internal: true" : ""));
        StringJoiner shown = new StringJoiner(", ");
        for (ConfigEntry e : configs.values()) {
            if (allConfigs || !e.isDefault()) {
                shown.add(e.name() + "=" + (e.sensitive() ? "(sensitive)" : e.value()));
            }
        }
        out.println("Configs: " + (shown.length() == 0 ? "(all defaults)" : shown.toString()));
        TextTable table = new TextTable("PARTITION", "LEADER", "START-OFFSET", "END-OFFSET", "RECORDS", "SIZE", "SEGMENTS");
        for (PartitionDescription p : topic.partitions()) {
            TopicPartition tp = new TopicPartition(topic.name(), p.partition());
            Long size = sizes.sizeOf(tp);
            table.row(p.partition(), p.leaderId(), p.startOffset(), p.endOffset(), p.recordCount(),
                    size == null ? null : Sizes.human(size), sizes.segmentsOf(tp));
        }
        table.print(out);
    }

    private static String json(Map<String, TopicDescription> descriptions,
                               Map<ConfigResource, Map<String, ConfigEntry>> configs, LogSizes sizes) {
        JsonWriter json = new JsonWriter().beginObject().name("topics").beginArray();
        for (TopicDescription topic : descriptions.values()) {
            Totals totals = Totals.of(topic, sizes);
            json.beginObject()
                    .name("name").value(topic.name())
                    .name("topicId").value(topic.topicId() == null ? null : topic.topicId().toString())
                    .name("internal").value(topic.internal())
                    .name("partitionCount").value(topic.partitions().size())
                    .name("records").value(topic.recordCount())
                    .name("sizeBytes").value(totals.sizeBytes() < 0 ? null : totals.sizeBytes())
                    .name("segments").value(totals.segments() < 0 ? null : totals.segments())
                    .name("partitions").beginArray();
            for (PartitionDescription p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                json.beginObject()
                        .name("partition").value(p.partition())
                        .name("leader").value(p.leaderId())
                        .name("startOffset").value(p.startOffset())
                        .name("endOffset").value(p.endOffset())
                        .name("records").value(p.recordCount())
                        .name("sizeBytes").value(sizes.sizeOf(tp))
                        .name("segments").value(sizes.segmentsOf(tp))
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

    /** Sizes from the metrics endpoint, or none (with a note under --verbose) when it cannot be read. */
    private LogSizes logSizes() throws InterruptedException {
        URI url = metricsUrl();
        try {
            return LogSizes.scrape(url, METRICS_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            if (client.verbose()) {
                err().println("cairn: " + commandPath() + ": no sizes from " + url + ": " + Failures.reason(e));
            }
            return LogSizes.none();
        }
    }

    private URI metricsUrl() {
        String hostPort = metrics;
        if (hostPort == null) {
            String first = client.bootstrap().split(",")[0].trim();
            int colon = first.lastIndexOf(':');
            String host = colon > 0 ? first.substring(0, colon) : first;
            hostPort = host + ":" + BrokerConfigKeys.METRICS_PORT.defaultValue();
        }
        try {
            return URI.create("http://" + hostPort + "/metrics");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--metrics: not HOST:PORT: " + hostPort);
        }
    }

    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }

    /** A topic's size and segments summed over its partitions; -1 when any partition's is unknown. */
    private record Totals(long sizeBytes, long segments) {
        static Totals of(TopicDescription topic, LogSizes sizes) {
            if (topic.sizeBytes() >= 0 && topic.segmentCount() >= 0) {
                return new Totals(topic.sizeBytes(), topic.segmentCount());
            }
            long size = 0;
            long segments = 0;
            for (PartitionDescription p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                Long s = sizes.sizeOf(tp);
                Long g = sizes.segmentsOf(tp);
                if (s == null || g == null) {
                    return new Totals(-1, -1);
                }
                size += s;
                segments += g;
            }
            return new Totals(size, segments);
        }
    }
}
