package io.cairn.cli.groups;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.cli.common.TextTable;
import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupDescription;
import io.cairn.client.admin.ListedOffset;
import io.cairn.client.admin.OffsetSpec;
import io.cairn.client.admin.PartitionDescription;
import io.cairn.client.admin.TopicDescription;
import io.cairn.client.errors.BrokerException;
import io.cairn.protocol.wire.ErrorCode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn groups reset-offsets}: moves a group's committed offsets on some topics, as
 * Kafka's {@code kafka-consumer-groups --reset-offsets} does. Without {@code --execute} it only
 * prints the plan. The group must have no active members (the broker refuses NON_EMPTY_GROUP);
 * a group that does not exist yet is created with the offsets.
 */
@Command(name = "reset-offsets", sortOptions = false,
        description = {
            "Moves a consumer group's committed offsets on topics: to the earliest or latest offset, a given offset, "
                    + "the first offset at a time, or shifted by a number of records. Targets outside a partition's "
                    + "offsets are clamped to them.",
            "Prints the plan; changes nothing without --execute. The group must have no active members."
        })
public final class GroupsResetOffsetsCommand extends AdminCommand {
    @Option(names = {"-g", "--group"}, required = true, paramLabel = "GROUP", description = "The group.")
    private String group;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC",
            description = "Topic whose partitions to reset, all of them; repeatable.")
    private List<String> topics = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Where to (exactly one):%n")
    private Target target;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Mode mode;

    @Mixin
    private OutputOption output;

    /** The reset scenarios; picocli sets exactly one. */
    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "To each partition's earliest offset (log start).")
        private boolean toEarliest;

        @Option(names = "--to-latest", required = true, description = "To each partition's latest offset (log end): skip everything.")
        private boolean toLatest;

        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "To offset N in every partition.")
        private Long toOffset;

        @Option(names = "--to-datetime", required = true, paramLabel = "ISO8601",
                description = "To the first record at or after this time, e.g. 2024-05-01T10:00:00Z "
                        + "(without a zone: local time); the log end where there is none.")
        private String toDatetime;

        @Option(names = "--shift-by", required = true, paramLabel = "N",
                description = "By N records from the committed offset (negative: back, to re-read).")
        private Long shiftBy;
    }

    /** Dry run or execute; neither means dry run. */
    static final class Mode {
        @Option(names = "--dry-run", required = true, description = "Only print the new offsets (the default).")
        private boolean dryRun;

        @Option(names = "--execute", required = true, description = "Commit the new offsets.")
        private boolean execute;
    }

    @Override
    protected int execute() throws InterruptedException {
        ResetTarget resetTarget = resetTarget();
        boolean execute = mode != null && mode.execute;
        String what = "reset offsets of group " + group;
        Map<TopicPartition, Long> plan = new LinkedHashMap<>();
        Map<TopicPartition, Long> current = new LinkedHashMap<>();
        try (CairnAdmin admin = openAdmin()) {
            ConsumerGroupDescription description = describe(admin);
            Map<String, TopicDescription> described = await("describe topics " + String.join(", ", topics),
                    admin.describeTopics(new LinkedHashSet<>(topics)));
            Map<TopicPartition, Long> atTime = resetTarget instanceof ResetTarget.ToDatetime at
                    ? offsetsAt(admin, described, at.timestampMs()) : Map.of();
            for (TopicDescription topic : described.values()) {
                for (PartitionDescription p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partition());
                    Long committed = description == null ? null : description.committedOffsets().get(tp);
                    OptionalLong committedNow = committed == null || committed < 0 ? OptionalLong.empty() : OptionalLong.of(committed);
                    Long found = atTime.get(tp);
                    OptionalLong offsetAtTime = found == null || found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
                    plan.put(tp, OffsetResetPlan.newOffset(resetTarget, new OffsetResetPlan.PartitionOffsets(
                            committedNow, p.startOffset(), p.endOffset(), offsetAtTime)));
                    current.put(tp, committedNow.isPresent() ? committedNow.getAsLong() : null);
                }
            }
            if (execute) {
                if (description != null && !description.members().isEmpty()) {
                    throw new CommandFailure(what, "the group has " + description.members().size()
                            + " active members (state " + description.state() + "); stop its consumers first");
                }
                await(what, admin.alterGroupOffsets(group, plan));
            }
        }
        print(plan, current, execute);
        return EXIT_OK;
    }

    private ResetTarget resetTarget() {
        if (target.toEarliest) {
            return new ResetTarget.Earliest();
        }
        if (target.toLatest) {
            return new ResetTarget.Latest();
        }
        if (target.toOffset != null) {
            if (target.toOffset < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to-offset must be >= 0, got " + target.toOffset);
            }
            return new ResetTarget.ToOffset(target.toOffset);
        }
        if (target.toDatetime != null) {
            try {
                return new ResetTarget.ToDatetime(ResetTarget.parseDatetime(target.toDatetime, ZoneId.systemDefault()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to-datetime: " + e.getMessage());
            }
        }
        return new ResetTarget.ShiftBy(target.shiftBy);
    }

    /** The group as it is, or null when it does not exist yet (a reset creates it). */
    private ConsumerGroupDescription describe(CairnAdmin admin) throws InterruptedException {
        try {
            return admin.describeGroups(List.of(group)).get().get(group);
        } catch (ExecutionException e) {
            if (Failures.unwrap(e) instanceof BrokerException b && b.errorCode() == ErrorCode.GROUP_ID_NOT_FOUND) {
                return null;
            }
            throw new CommandFailure("describe group " + group, e);
        }
    }

    private static Map<TopicPartition, Long> offsetsAt(CairnAdmin admin, Map<String, TopicDescription> topics,
                                                       long timestampMs) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        for (TopicDescription topic : topics.values()) {
            for (PartitionDescription p : topic.partitions()) {
                specs.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.forTimestamp(timestampMs));
            }
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        Map<TopicPartition, ListedOffset> listed = await("look up offsets by time", admin.listOffsets(specs));
        listed.forEach((tp, l) -> out.put(tp, l.offset()));
        return out;
    }

    private void print(Map<TopicPartition, Long> plan, Map<TopicPartition, Long> current, boolean executed) {
        PrintWriter out = out();
        if (output.json()) {
            JsonWriter json = new JsonWriter().beginObject()
                    .name("groupId").value(group)
                    .name("executed").value(executed)
                    .name("partitions").beginArray();
            plan.forEach((tp, offset) -> json.beginObject()
                    .name("topic").value(tp.topic())
                    .name("partition").value(tp.partition())
                    .name("currentOffset").value(current.get(tp))
                    .name("newOffset").value(offset)
                    .endObject());
            out.println(json.endArray().endObject());
        } else {
            TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
            plan.forEach((tp, offset) -> table.row(group, tp.topic(), tp.partition(), current.get(tp), offset));
            table.print(out);
        }
        out.flush();
        if (!executed) {
            err().println("Dry run: nothing changed; add --execute to commit these offsets.");
            err().flush();
        }
    }
}
