package io.cairn.cli.common;

import io.cairn.client.admin.CairnAdmin;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Base of the commands that work through the admin client ({@code topics ...}, {@code groups ...}):
 * {@code --timeout-ms} bounds every broker operation, and {@link #await} turns a failed operation
 * into a {@link CommandFailure} naming it.
 */
public abstract class AdminCommand extends ClientCommand {
    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000", order = OptionOrder.COMMON + 1,
            description = "How long to wait for the broker, retries included. Default: ${DEFAULT-VALUE}.")
    private int timeoutMs;

    /** A new admin client on the bootstrap address; the caller closes it. */
    protected CairnAdmin openAdmin() {
        if (timeoutMs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be >= 1, got " + timeoutMs);
        }
        return Admins.open(client.bootstrap(), timeoutMs);
    }

    /** The result of {@code operation}, or a {@link CommandFailure} "{@code what}: reason". */
    protected static <T> T await(String what, CompletableFuture<T> operation) throws InterruptedException {
        return Admins.await(what, operation);
    }
}
