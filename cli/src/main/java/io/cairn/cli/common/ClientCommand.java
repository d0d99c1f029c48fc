package io.cairn.cli.common;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that talks to a broker: the shared {@link ClientOptions}, tool logging,
 * and the error contract. A failure is printed as one line on standard error,
 * {@code cairn: <what failed>: <why>} (with the stack trace after it under {@code --verbose}), and
 * the command exits with {@link #EXIT_FAILURE}; usage errors are picocli's and exit with 2.
 *
 * <p>One instance per invocation, used by the invoking thread.
 */
public abstract class ClientCommand implements Callable<Integer> {
    /** Exit code of a command that ran as asked. */
    public static final int EXIT_OK = 0;
    /** Exit code of a command that failed at run time (broker error, timeout, unreachable broker). */
    public static final int EXIT_FAILURE = 1;

    @Mixin
    protected ClientOptions client;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() {
        ToolLogging.configure(client.verbose());
        try {
            return execute();
        } catch (CommandLine.ParameterException e) {
            throw e; // a usage error found late: picocli prints it and exits with 2
        } catch (CommandFailure e) {
            return fail(e.what(), e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(commandPath(), "interrupted", e);
        } catch (Exception e) {
            return fail(commandPath(), Failures.reason(e), e);
        }
    }

    /** Runs the command; returns the exit code. Throw {@link CommandFailure} to fail with a reason. */
    protected abstract int execute() throws Exception;

    /** Where the command's output goes. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where notes and errors go. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The command as typed, without the leading {@code cairn}: "topics create". */
    protected String commandPath() {
        String name = spec.qualifiedName(" ");
        return name.startsWith("cairn ") ? name.substring("cairn ".length()) : name;
    }

    private int fail(String what, String why, Exception e) {
        PrintWriter err = err();
        err.println("cairn: " + what + ": " + Failures.oneLine(why));
        if (client.verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }
}
