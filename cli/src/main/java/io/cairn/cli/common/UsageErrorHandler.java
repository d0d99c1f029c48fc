package io.cairn.cli.common;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints a usage error (unknown option, missing or malformed argument) as one line on standard
 * error, {@code cairn: topics create: Missing required option: '--topic=TOPIC' (see 'cairn topics
 * create --help')}, instead of picocli's message followed by the whole usage text, and exits with
 * picocli's usage-error code, 2. Stateless.
 */
public final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String path = cmd.getCommandSpec().qualifiedName(" ");
        String what = path.startsWith("cairn ") ? path.substring("cairn ".length()) + ": " : "";
        StringBuilder line = new StringBuilder("cairn: ").append(what).append(Failures.oneLine(String.valueOf(ex.getMessage())));
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        line.append(" (see '").append(path).append(" --help')");
        err.println(line);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
