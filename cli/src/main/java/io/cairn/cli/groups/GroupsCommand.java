package io.cairn.cli.groups;

import io.cairn.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** {@code cairn groups}: the consumer group administration subcommands. */
@Command(name = "groups",
        description = "Lists, describes, resets the offsets of and deletes consumer groups.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            GroupsListCommand.class,
            GroupsDescribeCommand.class,
            GroupsResetOffsetsCommand.class,
            GroupsDeleteCommand.class,
        })
public final class GroupsCommand extends CommandGroup {
}
