package io.cairn.cli.common;

import picocli.CommandLine.Option;

/** {@code -h/--help} for commands that only group subcommands. A picocli mixin. */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;
}
