package io.cairn.cli.groups;

import io.cairn.cli.common.AdminCommand;
import io.cairn.client.admin.CairnAdmin;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn groups delete}: removes groups and their committed offsets; a group with members is refused. */
@Command(name = "delete", sortOptions = false,
        description = {
            "Deletes consumer groups with their committed offsets.",
            "A group that still has members is refused (NON_EMPTY_GROUP): stop its consumers first."
        })
public final class GroupsDeleteCommand extends AdminCommand {
    @Option(names = {"-g", "--group"}, required = true, paramLabel = "GROUP", description = "Group to delete; repeatable.")
    private List<String> groups = new ArrayList<>();

    @Override
    protected int execute() throws InterruptedException {
        try (CairnAdmin admin = openAdmin()) {
            for (String group : groups) {
                await("delete group " + group, admin.deleteGroups(List.of(group)));
                out().println("Deleted group " + group + ".");
            }
        }
        return EXIT_OK;
    }
}
