package io.cairn.cli.topics;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.errors.UnknownTopicOrPartitionException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn topics delete}. */
@Command(name = "delete", sortOptions = false,
        description = "Deletes a topic and all its data.")
public final class TopicsDeleteCommand extends AdminCommand {
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Name of the topic.")
    private String topic;

    @Option(names = "--if-exists", description = "Succeed without change when the topic does not exist.")
    private boolean ifExists;

    @Override
    protected int execute() throws InterruptedException {
        try (CairnAdmin admin = openAdmin()) {
            admin.deleteTopics(List.of(topic)).get();
        } catch (ExecutionException e) {
            if (ifExists && Failures.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                out().println("Topic " + topic + " does not exist.");
                return EXIT_OK;
            }
            throw new CommandFailure("delete topic " + topic, e);
        }
        out().println("Deleted topic " + topic + ".");
        return EXIT_OK;
    }
}
