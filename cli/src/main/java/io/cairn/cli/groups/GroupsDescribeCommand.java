package io.cairn.cli.groups;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.cli.common.TextTable;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupDescription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn groups describe}: a group's state, its members and their partitions, and per
 * partition the committed offset, the log end offset and the lag between them.
 */
@Command(name = "describe", sortOptions = false,
        description = {
            "Describes consumer groups: state, members and their partitions, and per partition the committed offset, "
                    + "the log end offset and the lag (records not yet consumed).",
        })
public final class GroupsDescribeCommand extends AdminCommand {
    private static final Comparator<TopicPartition> BY_TOPIC_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Option(names = {"-g", "--group"}, required = true, paramLabel = "GROUP", description = "Group to describe; repeatable.")
    private List<String> groups = new ArrayList<>();

    @Mixin
    private OutputOption output;

    @Override
    protected int execute() throws InterruptedException {
        List<Described> described = new ArrayList<>();
        try (CairnAdmin admin = openAdmin()) {
            for (String group : groups) {
                ConsumerGroupDescription d = await("describe group " + group, admin.describeGroups(List.of(group))).get(group);
                described.add(new Described(d, GroupOffsets.of(d, admin)));
            }
        }
        PrintWriter out = out();
        if (output.json()) {
            out.println(json(described));
            return EXIT_OK;
        }
        boolean first = true;
        for (Described d : described) {
            if (!first) {
                out.println();
            }
            first = false;
            text(out, d.group(), d.rows());
        }
        return EXIT_OK;
    }

    private static void text(PrintWriter out, ConsumerGroupDescription group, List<GroupOffsets> rows) {
        Long totalLag = GroupOffsets.totalLag(rows);
        out.println("Group: " + group.groupId() + "  State: " + group.state() + "  Members: " + group.members().size()
                + "  Epoch: " + group.groupEpoch() + "  Lag: " + (totalLag == null ? "-" : totalLag));
        TextTable offsets = new TextTable("TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID",
                "CLIENT-ID");
        for (GroupOffsets r : rows) {
            offsets.row(r.topic(), r.partition(), r.committed(), r.logEnd(), r.lag(),
                    r.owner() == null ? null : r.owner().memberId(), r.owner() == null ? null : r.owner().clientId());
        }
        offsets.print(out);
        if (!group.members().isEmpty()) {
            out.println();
            TextTable members = new TextTable("MEMBER-ID", "INSTANCE-ID", "CLIENT-ID", "EPOCH", "PARTITIONS");
            for (ConsumerGroupDescription.Member m : group.members()) {
                members.row(m.memberId(), m.instanceId(), m.clientId(), m.memberEpoch(), partitionList(m));
            }
            members.print(out);
        }
    }

    private static String partitionList(ConsumerGroupDescription.Member m) {
        String list = m.assignment().stream().sorted(BY_TOPIC_PARTITION)
                .map(tp -> tp.topic() + "-" + tp.partition()).collect(Collectors.joining(","));
        return list.isEmpty() ? "-" : list;
    }

    private static String json(List<Described> described) {
        JsonWriter json = new JsonWriter().beginObject().name("groups").beginArray();
        for (Described d : described) {
            ConsumerGroupDescription g = d.group();
            json.beginObject()
                    .name("groupId").value(g.groupId())
                    .name("state").value(g.state())
                    .name("groupEpoch").value(g.groupEpoch())
                    .name("totalLag").value(GroupOffsets.totalLag(d.rows()))
                    .name("members").beginArray();
            for (ConsumerGroupDescription.Member m : g.members()) {
                json.beginObject()
                        .name("memberId").value(m.memberId())
                        .name("instanceId").value(m.instanceId())
                        .name("clientId").value(m.clientId())
                        .name("memberEpoch").value(m.memberEpoch())
                        .name("assignment").beginArray();
                m.assignment().stream().sorted(BY_TOPIC_PARTITION).forEach(tp -> json.beginObject()
                        .name("topic").value(tp.topic()).name("partition").value(tp.partition()).endObject());
                json.endArray().endObject();
            }
            json.endArray().name("offsets").beginArray();
            for (GroupOffsets r : d.rows()) {
                json.beginObject()
                        .name("topic").value(r.topic())
                        .name("partition").value(r.partition())
                        .name("committedOffset").value(r.committed())
                        .name("logEndOffset").value(r.logEnd())
                        .name("lag").value(r.lag())
                        .name("memberId").value(r.owner() == null ? null : r.owner().memberId())
                        .endObject();
            }
            json.endArray().endObject();
        }
        return json.endArray().endObject().toString();
    }

    /** A group and its rows. */
    private record Described(ConsumerGroupDescription group, List<GroupOffsets> rows) {
    }
}
