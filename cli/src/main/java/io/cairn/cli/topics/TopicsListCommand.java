package io.cairn.cli.topics;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.JsonWriter;
import io.cairn.cli.common.OutputOption;
import io.cairn.client.admin.CairnAdmin;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cairn topics list}: one name per line, sorted, or {@code {"topics":[...]}}. */
@Command(name = "list", sortOptions = false,
        description = "Lists the names of the topics, sorted, one per line.")
public final class TopicsListCommand extends AdminCommand {
    @Option(names = "--include-internal", description = "Also list internal topics such as __consumer_offsets.")
    private boolean includeInternal;

    @Mixin
    private OutputOption output;

    @Override
    protected int execute() throws InterruptedException {
        Set<String> topics;
        try (CairnAdmin admin = openAdmin()) {
            topics = await("list topics", admin.listTopics(includeInternal));
        }
        PrintWriter out = out();
        if (output.json()) {
            JsonWriter json = new JsonWriter().beginObject().name("topics").beginArray();
            topics.forEach(json::value);
            out.println(json.endArray().endObject());
        } else {
            topics.forEach(out::println);
        }
        return EXIT_OK;
    }
}
