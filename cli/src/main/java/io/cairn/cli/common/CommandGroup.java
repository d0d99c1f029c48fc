package io.cairn.cli.common;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of a command that only groups subcommands ({@code cairn topics}, {@code cairn groups},
 * {@code cairn perf}): run alone it is a usage error naming the subcommands, exit code 2.
 */
public abstract class CommandGroup implements Runnable {
    @Mixin
    private HelpOption help;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
