package io.cairn.cli.common;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions into the one-line reasons the CLI prints. Stateless. */
public final class Failures {
    private Failures() {
    }

    /** The exception that says what happened, beneath the wrappers futures add. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The reason as one line: the message beneath future wrappers, or the exception's type when it
     * has none. A failure to reach the broker at all is said plainly, with what to check.
     */
    public static String reason(Throwable e) {
        String unreachable = unreachable(e);
        if (unreachable != null) {
            return unreachable;
        }
        Throwable t = unwrap(e);
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            message = cause != null && cause != t ? reason(cause) : t.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    /** "cannot connect to the broker: ..." when a connection refusal or an unknown host caused {@code e}, else null. */
    static String unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "cannot connect to the broker: " + oneLine(String.valueOf(t.getMessage()))
                        + " (is it running? check --bootstrap or $" + ClientOptions.BOOTSTRAP_ENV + ")";
            }
            if (t instanceof UnknownHostException) {
                return "cannot connect to the broker: unknown host " + t.getMessage()
                        + " (check --bootstrap or $" + ClientOptions.BOOTSTRAP_ENV + ")";
            }
        }
        return null;
    }

    /** {@code reason} without a leading "{@code what}" that would repeat the action: "list topics: list topics timed out". */
    public static String withoutPrefix(String what, String reason) {
        for (String prefix : new String[] {what + ": ", what + " "}) {
            if (reason.startsWith(prefix) && reason.length() > prefix.length()) {
                return reason.substring(prefix.length());
            }
        }
        return reason;
    }

    /** {@code text} with its line breaks folded into "; ". */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
