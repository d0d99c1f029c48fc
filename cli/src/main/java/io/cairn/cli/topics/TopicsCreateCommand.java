package io.cairn.cli.topics;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.CommandFailure;
import io.cairn.cli.common.Failures;
import io.cairn.cli.common.KeyValues;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.NewTopic;
import io.cairn.client.errors.TopicExistsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn topics create}. */
@Command(name = "create", sortOptions = false,
        description = "Creates a topic with a number of partitions and topic-level settings.")
public final class TopicsCreateCommand extends AdminCommand {
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Name of the topic.")
    private String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N",
            description = "Number of partitions. Default: the broker's num.partitions.")
    private Integer partitions;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
            description = "A topic setting (docs/configuration.md), e.g. retention.ms=86400000; repeatable.")
    private Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed without change when the topic exists already.")
    private boolean ifNotExists;

    @Override
    protected int execute() throws InterruptedException {
        if (partitions != null && partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be >= 1, got " + partitions);
        }
        KeyValues.requireKeys(spec, "--config", configs);
        NewTopic newTopic = NewTopic.of(topic, partitions == null ? -1 : partitions).withConfigs(configs);
        try (CairnAdmin admin = openAdmin()) {
            admin.createTopics(List.of(newTopic)).get();
        } catch (ExecutionException e) {
            if (ifNotExists && Failures.unwrap(e) instanceof TopicExistsException) {
                out().println("Topic " + topic + " exists already.");
                return EXIT_OK;
            }
            throw new CommandFailure("create topic " + topic, e);
        }
        out().println("Created topic " + topic + ".");
        return EXIT_OK;
    }
}
