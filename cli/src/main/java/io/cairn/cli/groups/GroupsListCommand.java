package io.cairn.cli.groups;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.cli.common.TextTable;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConsumerGroupListing;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn groups list}: every consumer group with its state. */
@Command(name = "list", sortOptions = false,
        description = "Lists the consumer groups, sorted, with their state.")
public final class GroupsListCommand extends AdminCommand {
    @Mixin
    private OutputOption output;

    @Override
    protected int execute() throws InterruptedException {
        List<ConsumerGroupListing> groups;
        try (CairnAdmin admin = openAdmin()) {
            groups = await("list groups", admin.listGroups());
        }
        PrintWriter out = out();
        if (output.json()) {
            JsonWriter json = new JsonWriter().beginObject().name("groups").beginArray();
            for (ConsumerGroupListing g : groups) {
                json.beginObject().name("groupId").value(g.groupId()).name("state").value(g.state()).endObject();
            }
            out.println(json.endArray().endObject());
        } else {
            TextTable table = new TextTable("GROUP", "STATE");
            groups.forEach(g -> table.row(g.groupId(), g.state()));
            table.print(out);
        }
        return EXIT_OK;
    }
}
