package io.cairn.cli.common;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * {@code reason} without a "{@code what}" that would repeat the action, at its start or after a
     * broker error code: "list topics: list topics timed out" becomes "list topics: timed out",
     * "create topic a: TOPIC_ALREADY_EXISTS: create topic a: exists" becomes "create topic a:
     * TOPIC_ALREADY_EXISTS: exists". A client context after the code that names the same action and
     * object in other words ("alter configs of ConfigResource[type=TOPIC, name=a]" for "alter configs
     * of topic a") goes too.
     */
    public static String withoutPrefix(String what, String reason) {
        Matcher code = ERROR_CODE_PREFIX.matcher(reason);
        String lead = code.lookingAt() ? code.group() : "";
        String rest = reason.substring(lead.length());
        for (String prefix : new String[] {what + ": ", what + " "}) {
            if (rest.startsWith(prefix) && rest.length() > prefix.length()) {
                return lead + rest.substring(prefix.length());
            }
        }
        String[] words = what.split(" ");
        int end = rest.indexOf(": ");
        if (!lead.isEmpty() && words.length >= 3 && end > 0 && end + 2 < rest.length()
                && rest.startsWith(words[0] + " " + words[1] + " ")
                && Pattern.compile("(?<![\\w.-])" + Pattern.quote(words[words.length - 1]) + "(?![\\w.-])")
                        .matcher(rest.substring(0, end)).find()) {
            return lead + rest.substring(end + 2);
        }
        return reason;
    }

    /** A broker error code's name at the start of a client exception's message: "TOPIC_ALREADY_EXISTS: ". */
    private static final Pattern ERROR_CODE_PREFIX = Pattern.compile("[A-Z][A-Z0-9_]+: ");

    /** {@code text} with its line breaks folded into "; ". */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
