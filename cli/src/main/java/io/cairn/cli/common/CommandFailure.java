package io.cairn.cli.common;

/**
 * A command failed for a reason the user can act on. {@link ClientCommand} prints it as the
 * single line {@code cairn: <what>: <why>} and exits with 1.
 */
public final class CommandFailure extends RuntimeException {
    private final String what;

    /** {@code what} names the failed action ("create topic orders"), {@code why} the reason. */
    public CommandFailure(String what, String why) {
        super(why);
        this.what = what;
    }

    /** A failure whose reason is {@code cause} (its message, unwrapped from future wrappers). */
    public CommandFailure(String what, Throwable cause) {
        super(Failures.withoutPrefix(what, Failures.reason(cause)), cause);
        this.what = what;
    }

    /** The action that failed. */
    public String what() {
        return what;
    }
}
