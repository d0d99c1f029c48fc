package io.cairn.cli.topics;

import io.cairn.cli.common.AdminCommand;
import io.cairn.cli.common.KeyValues;
import io.cairn.client.admin.AlterConfigOp;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.ConfigResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn topics alter}: raises the partition count and sets or removes topic settings.
 * Partitions are added first, then the settings changed in one request (all or nothing).
 */
@Command(name = "alter", sortOptions = false,
        description = {
            "Changes a topic: raises its partition count, sets settings, removes settings (back to the broker default).",
            "Partitions can only be added. Settings change in one request: all or none."
        })
public final class TopicsAlterCommand extends AdminCommand {
    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "Name of the topic.")
    private String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N", description = "New total number of partitions (more than now).")
    private Integer partitions;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE", description = "A setting to set; repeatable.")
    private Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "KEY", description = "A setting to remove; repeatable.")
    private List<String> deleteConfigs = new ArrayList<>();

    @Override
    protected int execute() throws InterruptedException {
        if (partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to alter: give --partitions, --config or --delete-config");
        }
        if (partitions != null && partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be >= 1, got " + partitions);
        }
        KeyValues.requireKeys(spec, "--config", configs);
        for (String key : deleteConfigs) {
            if (configs.containsKey(key)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        key + " is given to both --config and --delete-config");
            }
        }
        PrintWriter out = out();
        try (CairnAdmin admin = openAdmin()) {
            if (partitions != null) {
                await("create partitions for topic " + topic, admin.createPartitions(Map.of(topic, partitions)));
                out.println("Topic " + topic + " now has " + partitions + " partitions.");
            }
            if (!configs.isEmpty() || !deleteConfigs.isEmpty()) {
                List<AlterConfigOp> ops = new ArrayList<>();
                configs.forEach((k, v) -> ops.add(AlterConfigOp.set(k, v)));
                deleteConfigs.forEach(k -> ops.add(AlterConfigOp.delete(k)));
                await("alter configs of topic " + topic, admin.alterConfigs(Map.of(ConfigResource.topic(topic), ops)));
                List<String> changes = new ArrayList<>();
                configs.forEach((k, v) -> changes.add("set " + k + "=" + v));
                deleteConfigs.forEach(k -> changes.add("removed " + k));
                out.println("Updated topic " + topic + ": " + String.join(", ", changes) + ".");
            }
        }
        return EXIT_OK;
    }
}
