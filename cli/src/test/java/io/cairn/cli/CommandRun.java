package io.cairn.cli;

import io.cairn.cli.console.ProduceCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the {@code cairn} command line, as {@code bin/cairn} would run it but with
 * standard output and error captured (and standard input given, for {@code produce}).
 *
 * @param exitCode the exit code
 * @param out      what the command printed on standard output
 * @param err      what it printed on standard error
 */
public record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code cairn args...}. */
    public static CommandRun cairn(String... args) {
        return cairnWithInput(null, args);
    }

    /** Runs {@code cairn args...} with {@code stdin} as standard input (for {@code produce}). */
    public static CommandRun cairnWithInput(String stdin, String... args) {
        CommandLine cli = Cairn.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        if (stdin != null) {
            ProduceCommand produce = cli.getSubcommands().get("produce").getCommand();
            produce.input(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        int code = cli.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** Standard output split into lines. */
    public List<String> outLines() {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
    }

    /** Standard error split into lines. */
    public List<String> errLines() {
        return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
