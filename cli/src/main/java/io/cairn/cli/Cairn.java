package io.cairn.cli;

import io.cairn.cli.common.UsageErrorHandler;
import io.cairn.cli.console.ConsumeCommand;
import io.cairn.cli.console.ProduceCommand;
import io.cairn.cli.groups.GroupsCommand;
import io.cairn.cli.perf.PerfCommand;
import io.cairn.cli.topics.TopicsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code cairn} command: the main class of the runnable jar. Each subcommand is one class,
 * registered in {@link #SUBCOMMANDS} (the only place to touch when adding one).
 *
 * <p>Exit codes: 0 success, 1 the command failed (the reason is printed as one line), 2 bad
 * usage (unknown option, missing argument).
 */
@Command(
        name = "cairn",
        mixinStandardHelpOptions = true,
        versionProvider = CairnVersion.class,
        description = "Cairn, an append-only partitioned log broker.",
        synopsisSubcommandLabel = "COMMAND")
public final class Cairn implements Runnable {

    /** Every subcommand of {@code cairn}, in the order {@code cairn --help} lists them. */
    static final Class<?>[] SUBCOMMANDS = {
        BrokerCommand.class,
        TopicsCommand.class,
        GroupsCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class,
        PerfCommand.class,
    };

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cairn());
        for (Class<?> subcommand : SUBCOMMANDS) {
            cli.addSubcommand(subcommand);
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        return cli;
    }

    /** {@code cairn} alone prints usage and fails: a subcommand is required. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** Prints a failing command's exception as one line instead of a stack trace. */
    private static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println(cmd.getColorScheme().errorText("cairn " + cmd.getCommandName() + ": " + message));
            return 1;
        }
    }
}
