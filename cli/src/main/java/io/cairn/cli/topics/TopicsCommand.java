package io.cairn.cli.topics;

import io.cairn.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** {@code cairn topics}: the topic administration subcommands. */
@Command(name = "topics",
        description = "Creates, lists, describes, alters and deletes topics.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            TopicsCreateCommand.class,
            TopicsListCommand.class,
            TopicsDescribeCommand.class,
            TopicsAlterCommand.class,
            TopicsDeleteCommand.class,
        })
public final class TopicsCommand extends CommandGroup {
}
