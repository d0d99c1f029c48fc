package io.cairn.cli.perf;

import io.cairn.cli.common.CommandGroup;
import picocli.CommandLine.Command;

/** {@code cairn perf}: load generators and latency probes. */
@Command(name = "perf",
        description = "Measures throughput and latency: produce, consume, end to end.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            PerfProduceCommand.class,
            PerfConsumeCommand.class,
            PerfE2eCommand.class,
        })
public final class PerfCommand extends CommandGroup {
}
